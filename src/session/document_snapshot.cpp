#include "session/document_snapshot.h"

namespace nnscope::session {

DocumentSnapshot make_document_snapshot(const io::ModelDocument& document,
                                        const std::string& file) {
    DocumentSnapshot s;
    static_cast<io::ModelSummary&>(s) = io::summarize(document);
    s.file = file;
    return s;
}

} // namespace nnscope::session
