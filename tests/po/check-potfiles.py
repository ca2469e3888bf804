#!/usr/bin/env python3
"""POTFILES.in is complete: every file under src/, ui/ and data/ with translatable text is
listed in po/POTFILES.in, and every file it lists exists.

Translatable text is a C call _( ), N_( ), C_( ), NC_( ) or ngettext-style call, a
translatable="yes" property in a .ui file, or a .desktop.in, .metainfo.xml.in or
.gschema.xml file (xgettext extracts their Name/Comment/Keywords, summary/description and
<_p>-free translatable elements with its ITS rules).

Usage: check-potfiles.py SOURCE_ROOT
"""
import os
import re
import sys

C_CALL = re.compile(r'(?<![A-Za-z0-9_])(?:(?:_|N_|C_|NC_|Q_|gettext|ngettext|pgettext)\s*\(\s*"'
                    r'|(?:g_dgettext|g_dcgettext|g_dngettext|g_dpgettext|g_dpgettext2|dgettext|'
                    r'dcgettext|dngettext)\s*\()')
UI_TRANSLATABLE = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"', re.IGNORECASE)
SCANNED_DIRS = ('src', 'ui', 'data')


def has_translatable_text(path, text):
    name = os.path.basename(path)
    if name.endswith(('.c', '.h')):
        # Comments and the definition of the macros themselves are not strings.
        code = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
        code = re.sub(r'//[^\n]*', '', code)
        return C_CALL.search(code) is not None
    if name.endswith('.ui'):
        return UI_TRANSLATABLE.search(text) is not None
    if name.endswith('.desktop.in'):
        return re.search(r'^(Name|GenericName|Comment|Keywords)\s*=', text, re.M) is not None
    if name.endswith(('.metainfo.xml.in', '.appdata.xml.in')):
        return re.search(r'<(name|summary|description|caption)\b', text) is not None
    if name.endswith('.gschema.xml'):
        return re.search(r'<(summary|description)\b', text) is not None
    return False


def read_potfiles(root):
    listed = []
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if line and not line.startswith('#'):
                listed.append((number, line))
    return listed


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    failures = 0
    listed = read_potfiles(root)
    listed_set = {path for _, path in listed}

    seen = set()
    for number, path in listed:
        if path in seen:
            print(f'po/POTFILES.in:{number}: {path} is listed twice')
            failures += 1
        seen.add(path)
        if not os.path.isfile(os.path.join(root, path)):
            print(f'po/POTFILES.in:{number}: {path} does not exist')
            failures += 1

    found = []
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root)
                try:
                    with open(full, encoding='utf-8') as f:
                        text = f.read()
                except (UnicodeDecodeError, OSError):
                    continue
                if has_translatable_text(rel, text):
                    found.append(rel)
    for rel in found:
        if rel not in listed_set:
            print(f'{rel} has translatable strings but is not in po/POTFILES.in')
            failures += 1

    print(f'{len(found)} files with translatable strings, {len(listed)} listed in po/POTFILES.in')
    if failures:
        print(f'FAIL: {failures} problem(s); add the files above to po/POTFILES.in')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
