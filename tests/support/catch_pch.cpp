// catch_pch.cpp: the target that compiles Catch2's header once for every test program
// (dconv_test_pch in tests/CMakeLists.txt); nothing else.
