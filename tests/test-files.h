/* test-files.h: the folders the tests make, removed again. GLib only, so every test program
 * (engine, CLI, GUI) can link it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes `path`: a file, or a folder with everything in it (each folder inside made
 * writable first, for tests that took the permissions away). A symbolic link goes, never
 * what it points to. Nothing happens when `path` does not exist. */
void test_remove_tree (const char *path);

G_END_DECLS
