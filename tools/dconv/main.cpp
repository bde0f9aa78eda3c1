// PLACEHOLDER: replaced by the real CLI.
#include <fstream>
#include <iostream>
#include <sstream>
#include "dconv/convert.hpp"
int main(int argc, char** argv) {
    if (argc < 3) return 2;
    std::ifstream in(argv[2], std::ios::binary);
    std::stringstream ss; ss << in.rdbuf();
    dconv::Diagnostics diag;
    dconv::ReadOptions ro; ro.source_name = argv[2];
    auto doc = dconv::read_document(ss.str(), ro, diag);
    std::cout << dconv::write_document(doc, argv[1], {});
}
