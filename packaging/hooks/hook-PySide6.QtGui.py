# Replaces PyInstaller's hook for PySide6.QtGui (hooks in the spec's hookspath take precedence): the same
# collection, less the plugins a pad never loads. Dropping them here, before PyInstaller scans the collected
# binaries for their libraries, also drops what only they link:
#   - platforminputcontexts/libqtvirtualkeyboardplugin.so: Qt's QML on-screen keyboard; it alone pulls in
#     QtQuick, QtQml and QtVirtualKeyboard (some 20 MB). The pad takes no text from citizens.
#   - platformthemes/libqgtk3.so: GTK dialogs and palette, with GTK's cairo, pango, atk and gdk-pixbuf; the pad
#     draws its own theme.
#   - platforms/libqvnc.so: a VNC server as the display, which a pad must never offer.
#   - imageformats/libqpdf.so: PDF pages as images, with QtPdf behind it.
# Kept: xcb (X11), wayland, eglfs and linuxfb (no display server), offscreen and minimal (headless).

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

DROPPED = {"libqtvirtualkeyboardplugin.so", "libqgtk3.so", "libqvnc.so", "libqpdf.so"}

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [entry for entry in binaries if entry[0].rsplit("/", 1)[-1] not in DROPPED]
