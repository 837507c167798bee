#pragma once
// The builder inspector's "Tensors" table (issue #17): every parameter and buffer slot the model
// registers, in state_dict order, with its kind, shape, whether state_dict() saves it, whether
// the optimizer updates it, and why. Slots that are not saved (a non-persistent buffer, a None
// slot, a lazy parameter with no shape yet) are greyed and italic with a tinted background, so
// the difference from the saved ones shows at a glance. Read from an immutable inspection.

#include "session/builder_inspect_job.h"

#include <QAbstractTableModel>

namespace nnscope::ui {

class RegisteredTensorsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Key, Kind, Shape, Saved, Trained, Why, ColumnCount };

    explicit RegisteredTensorsModel(QObject* parent = nullptr);

    void setInspection(session::BuilderInspectionPtr inspection); // nullptr empties the table
    const workflows::RegisteredTensor* tensor(int row) const;     // nullptr when out of range

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(const workflows::RegisteredTensor& t, int column) const;

    session::BuilderInspectionPtr inspection_;
};

// "parameter", "parameter, requires_grad=False", "buffer", "buffer, persistent=False", with
// " (None)" or " (lazy)" for a slot with no tensor or no shape yet.
QString registeredKindText(const workflows::RegisteredTensor& t);

} // namespace nnscope::ui
