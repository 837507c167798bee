#include <QApplication>
#include <QMainWindow>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("nnscope");
    QMainWindow window;
    window.setWindowTitle("nnscope");
    window.show();
    return QApplication::exec();
}
