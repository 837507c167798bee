// The executable that compiles the tests' precompiled header (tests/CMakeLists.txt): every test
// reuses its <QtTest> instead of parsing it again. It is an executable, as the tests are, so that
// it is compiled with their flags (-fPIE, not a library's -fPIC), which the header must match.
int main() {
    return 0;
}
