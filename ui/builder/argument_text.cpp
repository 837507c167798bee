#include "ui/builder/argument_text.h"

#include <QStringList>
#include <stdexcept>

namespace nnscope::ui {

namespace {

[[noreturn]] void refuse(const char* expected, const QString& text) {
    throw std::invalid_argument(std::string("expected ") + expected + ", got '" +
                                text.toStdString() + "'");
}

bool parseInt(const QString& text, std::int64_t& out) {
    bool ok = false;
    out = text.trimmed().toLongLong(&ok);
    return ok;
}

// "inf", "-inf", "nan" as Python's float() reads them; anything else as a C number.
bool parseFloat(const QString& text, double& out) {
    bool ok = false;
    out = text.trimmed().toDouble(&ok);
    return ok;
}

nn::Value parseNumber(const QString& text, const QString& whole) {
    std::int64_t i = 0;
    if (parseInt(text, i)) return nn::Value(i);
    double d = 0;
    if (parseFloat(text, d)) return nn::Value(d);
    refuse("a number", whole);
}

// "(3, 5)", "[3, 5]", "3, 5" or "3": the items between the brackets.
QStringList items(const QString& text) {
    QString inner = text.trimmed();
    if ((inner.startsWith(QLatin1Char('(')) && inner.endsWith(QLatin1Char(')'))) ||
        (inner.startsWith(QLatin1Char('[')) && inner.endsWith(QLatin1Char(']'))))
        inner = inner.mid(1, inner.size() - 2);
    QStringList parts = inner.split(QLatin1Char(','));
    if (!parts.isEmpty() && parts.last().trimmed().isEmpty()) parts.removeLast(); // "(3,)"
    return parts;
}

} // namespace

QString argumentText(const nn::Value& value, const nn::ArgumentSpec& spec) {
    if (value.is_none()) return QStringLiteral("None");
    if (value.is_string()) return QString::fromStdString(value.as_string());
    if (spec.kind == nn::ArgumentKind::FloatList && value.is_list()) {
        QStringList parts;
        for (const nn::Value& item : value.as_list())
            parts << QString::fromStdString(item.repr());
        return parts.join(QStringLiteral(", "));
    }
    return QString::fromStdString(value.repr());
}

nn::Value parseArgumentText(const QString& raw, const nn::ArgumentSpec& spec) {
    const QString text = raw.trimmed();
    if (spec.accepts_none && text == QLatin1String("None")) return {};
    switch (spec.kind) {
    case nn::ArgumentKind::Int: {
        std::int64_t i = 0;
        if (!parseInt(text, i)) refuse(spec.accepts_none ? "an int or None" : "an int", raw);
        return i;
    }
    case nn::ArgumentKind::Float:
        try {
            return parseNumber(text, raw);
        } catch (const std::invalid_argument&) {
            refuse(spec.accepts_none ? "a float or None" : "a float", raw);
        }
    case nn::ArgumentKind::Bool:
        if (text == QLatin1String("True")) return true;
        if (text == QLatin1String("False")) return false;
        refuse("True or False", raw);
    case nn::ArgumentKind::String:
        return text.toStdString();
    case nn::ArgumentKind::IntOrTuple: {
        std::int64_t single = 0;
        if (parseInt(text, single)) return single;
        const QStringList parts = items(text);
        nn::Value::List list;
        for (const QString& part : parts) {
            std::int64_t i = 0;
            if (!parseInt(part, i)) {
                if (spec.accepts_string && parts.size() == 1 && !text.isEmpty())
                    return text.toStdString();
                refuse("an int or a tuple of ints", raw);
            }
            list.push_back(i);
        }
        if (list.empty()) refuse("an int or a tuple of ints", raw);
        return nn::Value::tuple(std::move(list));
    }
    case nn::ArgumentKind::FloatList: {
        nn::Value::List list;
        for (const QString& part : items(text)) {
            double d = 0;
            if (!parseFloat(part, d)) refuse("a list of floats", raw);
            list.push_back(d);
        }
        return nn::Value::tuple(std::move(list));
    }
    }
    refuse("a value", raw);
}

} // namespace nnscope::ui
