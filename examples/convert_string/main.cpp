// convert_string: the smallest program on dconv's library. It cleans the text dump of a
// web page, held in a string, and prints the article as Markdown.
#include <dconv/convert.hpp>

#include <iostream>

int main() {
    const char* page =
        "Home | News | Sport | Weather | Sign in\n"
        "\n"
        "Lighthouse keepers return to Fastnet Rock\n"
        "\n"
        "By Mary Byrne\n"
        "12 March 2024\n"
        "\n"
        "For the first time in thirty years, two keepers spent the winter on the rock, "
        "tending the light while engineers replaced the lantern's machinery.\n"
        "\n"
        "They kept a log of every storm, and the island's birds, which the county "
        "library will publish in the spring.\n"
        "\n"
        "Share on Facebook | Share on Twitter | Email\n"
        "© 2024 Coast News. All rights reserved.\n";

    try {
        dconv::Diagnostics diag;  // what the cleaner removed, and why (--explain)
        dconv::ReadOptions in;
        in.format = "webtext";  // clean it: no navigation, share buttons or footer
        in.source_name = "page.txt";
        dconv::Document doc = dconv::read_document(page, in, diag);
        std::cout << dconv::write_document(doc, "md", {});
    } catch (const dconv::Error& e) {
        std::cerr << "convert_string: " << e.what() << "\n";
        return 1;
    }
}
