#!/usr/bin/env python3
"""The translations are complete and valid.

For each language of po/LINGUAS (or the ones given with --lang):
  complete  regenerate the template from po/POTFILES.in with xgettext (the keywords and
            flags of Meson's i18n 'glib' preset, as `ninja neural-lab-pot` uses), merge the
            .po against it with msgmerge, and require 0 untranslated and 0 fuzzy messages.
            A string added to the sources without a translation fails here, and its msgid
            is printed: translate it in po/LANG.po (`ninja -C build neural-lab-update-po`
            merges the template first).
  valid     `msgfmt --check --check-format` accepts the .po as it is, its header names the
            language, UTF-8 and the plural forms, it holds no fuzzy entry, and every
            translation keeps its msgid's mnemonic (_F → (_F)), Pango markup tags, and
            leading and trailing newlines.

Usage: check-translations.py SOURCE_ROOT [--lang LL] [complete|valid ...]
Exits 77 (skipped) when the gettext tools are not installed.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Meson 1.0's i18n.gettext(preset: 'glib') arguments (mesonbuild/modules/i18n.py).
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format', '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]

EXPECTED_PLURAL_FORMS = {
    'ja': 'nplurals=1; plural=0;',
}


# ---- A small .po reader (no polib on a build machine) ----------------------------------

class Entry:
    def __init__(self):
        self.flags = set()
        self.msgctxt = None
        self.msgid = None
        self.msgid_plural = None
        self.msgstr = {}      # index (0 for a singular entry) -> text
        self.line = 0
        self.obsolete = False

    def key(self):
        return (self.msgctxt or '') + '\x04' + self.msgid

    def describe(self):
        ctx = f' (context “{self.msgctxt}”)' if self.msgctxt else ''
        return repr(self.msgid) + ctx


def unquote(text):
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    body = text[1:-1]
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t', '"': '"', '\\': '\\'}.get(
        m.group(1), '\\' + m.group(1)), body)


def read_po(path):
    entries = []
    entry = Entry()
    field = None

    def flush():
        nonlocal entry, field
        if entry.msgid is not None:
            entries.append(entry)
        entry = Entry()
        field = None

    with open(path, encoding='utf-8') as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip('\n')
            if line.startswith('#~'):
                if entry.msgid is not None and not entry.obsolete:
                    flush()
                entry.obsolete = True
                line = line[2:].lstrip()
                if not line:
                    continue
            elif line.startswith('#'):
                if field is not None:
                    flush()
                if line.startswith('#,'):
                    entry.flags.update(f.strip() for f in line[2:].split(','))
                continue
            if not line.strip():
                flush()
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$', line)
            if m:
                name = m.group(1)
                if name == 'msgctxt' or (name == 'msgid' and field not in (None, 'msgctxt')):
                    if field is not None and field != 'msgctxt':
                        flush()
                if not entry.line:
                    entry.line = number
                value = unquote(m.group(3))
                if name == 'msgctxt':
                    entry.msgctxt, field = value, 'msgctxt'
                elif name == 'msgid':
                    entry.msgid, field = value, 'msgid'
                elif name == 'msgid_plural':
                    entry.msgid_plural, field = value, 'msgid_plural'
                else:
                    index = int(m.group(2)) if m.group(2) is not None else 0
                    entry.msgstr[index] = value
                    field = ('msgstr', index)
                continue
            if line.startswith('"'):
                value = unquote(line)
                if field == 'msgctxt':
                    entry.msgctxt += value
                elif field == 'msgid':
                    entry.msgid += value
                elif field == 'msgid_plural':
                    entry.msgid_plural += value
                elif isinstance(field, tuple):
                    entry.msgstr[field[1]] += value
                continue
            raise ValueError(f'{path}:{number}: cannot read “{line}”')
    flush()
    return entries


# ---- The checks --------------------------------------------------------------------------

def run(cmd, **kwargs):
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)


def linguas(root):
    langs = []
    with open(os.path.join(root, 'po', 'LINGUAS'), encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0]
            langs += line.split()
    return langs


def check_complete(root, lang, tmp):
    """0 untranslated, 0 fuzzy after merging against a fresh template."""
    pot = os.path.join(tmp, 'neural-lab.pot')
    merged = os.path.join(tmp, f'{lang}.po')
    result = run(['xgettext', '--package-name=neural-lab', '-f',
                  os.path.join(root, 'po', 'POTFILES.in'), '-D', root, '-k_', '-o', pot]
                 + XGETTEXT_ARGS)
    if result.returncode != 0:
        print(result.stderr)
        print('FAIL: xgettext could not extract the strings')
        return False
    if 'not a valid C format string' in result.stderr:
        # A macro such as G_GSIZE_FORMAT inside _(): xgettext sees the text only up to it,
        # and at run time the expanded msgid is not in any catalogue. Use %zu, %llu, …
        print(result.stderr)
        print('FAIL: a translatable format string is cut by a macro (G_GSIZE_FORMAT, '
              'G_GUINT64_FORMAT…): xgettext cannot see it whole; write %zu, %llu… instead')
        return False
    if result.stderr.strip():
        print('xgettext warnings:\n' + result.stderr)
    result = run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged,
                  os.path.join(root, 'po', f'{lang}.po'), pot])
    if result.returncode != 0:
        print(result.stderr)
        print(f'FAIL: msgmerge could not merge po/{lang}.po')
        return False
    result = run(['msgfmt', '--statistics', '-o', os.devnull, merged],
                 env=dict(os.environ, LC_ALL='C', LANGUAGE=''))
    statistics = (result.stderr + result.stdout).strip()
    print(f'po/{lang}.po against the sources: {statistics}')

    missing = [e for e in read_po(merged)
               if not e.obsolete and e.msgid != ''
               and ('fuzzy' in e.flags or any(v == '' for v in e.msgstr.values()))]
    for e in missing:
        state = 'fuzzy' if 'fuzzy' in e.flags else 'untranslated'
        print(f'  {state}: {e.describe()}')
    if missing:
        print(f'FAIL: {len(missing)} message(s) of the sources have no translation in '
              f'po/{lang}.po; run `ninja -C build neural-lab-update-po` and translate them')
        return False
    return True


MNEMONIC = re.compile(r'(?<![_\w])_([A-Za-z0-9])')
TAG = re.compile(r'</?([a-z]+)\b[^>]*>')


def check_valid(root, lang):
    path = os.path.join(root, 'po', f'{lang}.po')
    ok = True
    result = run(['msgfmt', '--check', '--check-format', '--statistics', '-o', os.devnull, path],
                 env=dict(os.environ, LC_ALL='C', LANGUAGE=''))
    print(f'msgfmt --check po/{lang}.po: {(result.stderr + result.stdout).strip()}')
    if result.returncode != 0:
        print(f'FAIL: msgfmt --check refuses po/{lang}.po')
        ok = False

    entries = read_po(path)
    header = next((e for e in entries if e.msgid == '' and not e.obsolete), None)
    if header is None:
        print(f'FAIL: po/{lang}.po has no header')
        return False
    fields = dict(line.split(':', 1) for line in header.msgstr.get(0, '').splitlines()
                  if ':' in line)
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    if fields.get('Language') != lang:
        print(f'FAIL: the header says Language: {fields.get("Language")!r}, not {lang}')
        ok = False
    if 'charset=UTF-8' not in fields.get('Content-Type', ''):
        print(f'FAIL: the header’s Content-Type is not charset=UTF-8')
        ok = False
    want = EXPECTED_PLURAL_FORMS.get(lang)
    if want and fields.get('Plural-Forms') != want:
        print(f'FAIL: the header says Plural-Forms: {fields.get("Plural-Forms")!r}, not {want!r}')
        ok = False

    for e in entries:
        if e.obsolete or e.msgid == '':
            continue
        where = f'po/{lang}.po:{e.line}'
        if 'fuzzy' in e.flags:
            print(f'FAIL: {where}: a fuzzy entry is left: {e.describe()}')
            ok = False
            continue
        for index, text in e.msgstr.items():
            if text == '':
                continue
            source = e.msgid if index == 0 else (e.msgid_plural or e.msgid)
            keys = MNEMONIC.findall(source)
            if keys and len(MNEMONIC.findall(text)) != len(keys):
                print(f'FAIL: {where}: the mnemonic _{keys[0]} of {e.describe()} is lost in '
                      f'{text!r} (write it as (_{keys[0].upper()}))')
                ok = False
            if sorted(TAG.findall(source)) != sorted(TAG.findall(text)):
                print(f'FAIL: {where}: the markup of {e.describe()} differs in {text!r}')
                ok = False
            for end, name in ((lambda s: s[:1], 'leading'), (lambda s: s[-1:], 'trailing')):
                if (end(source) == '\n') != (end(text) == '\n'):
                    print(f'FAIL: {where}: the {name} newline of {e.describe()} differs')
                    ok = False
    return ok


def main():
    args = sys.argv[1:]
    root = args.pop(0) if args and not args[0].startswith('-') else '.'
    langs = []
    while '--lang' in args:
        i = args.index('--lang')
        langs.append(args[i + 1])
        del args[i:i + 2]
    checks = args or ['complete', 'valid']
    langs = langs or linguas(root)

    tools = ['msgfmt'] + (['xgettext', 'msgmerge'] if 'complete' in checks else [])
    absent = [t for t in tools if shutil.which(t) is None]
    if absent:
        print('SKIP: not installed: ' + ', '.join(absent))
        return 77
    if not langs:
        print('FAIL: po/LINGUAS names no language')
        return 1

    ok = True
    with tempfile.TemporaryDirectory(prefix='neural-lab-po-') as tmp:
        for lang in langs:
            if 'complete' in checks:
                ok = check_complete(root, lang, tmp) and ok
            if 'valid' in checks:
                ok = check_valid(root, lang) and ok
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
