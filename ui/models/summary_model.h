#pragma once
// The summary pane: sections (file, totals by role, totals by dtype, metadata) each with
// name/value rows, built once per document from its snapshot.

#include "session/document_snapshot.h"

#include <QAbstractItemModel>
#include <QString>
#include <vector>

namespace nnscope::ui {

class SummaryModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Value, ColumnCount };

    explicit SummaryModel(QObject* parent = nullptr);
    void setDocument(const session::DocumentSnapshotPtr& document);
    // The value shown for `name` in the section titled `section`; empty when absent.
    QString value(const QString& section, const QString& name) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Section {
        QString title;
        std::vector<std::pair<QString, QString>> rows;
    };
    std::vector<Section> sections_;
};

} // namespace nnscope::ui
