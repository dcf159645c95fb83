//! Standalone entry: mounts the app on every host element of the page.

fn main() {
    csp_enroll::embed::mount_all();
}
