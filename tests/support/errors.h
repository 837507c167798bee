#pragma once
// The message of the exception a call throws, for tests that check error messages.

#include <QString>
#include <exception>
#include <string>

namespace nnscope::test {

// what() of the exception fn throws, or "<no error>" when it returns.
template <class Fn> std::string error_message(Fn&& fn) {
    try {
        fn();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "<no error>";
}

// The same as a QString, for QCOMPARE against QStringLiteral.
template <class Fn> QString errorOf(Fn&& fn) {
    return QString::fromStdString(error_message(fn));
}

} // namespace nnscope::test
