// Keep Windows release builds from opening a console window beside the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    kafkadesk::run()
}
