#!/usr/bin/env python3
"""neural-lab-cli speaks Japanese with LANGUAGE=ja: its help, a command's help and an error.

The expected texts are looked up in the built catalogue with the `gettext` program, so the
test follows po/ja.po as it changes; each must differ from its English msgid, contain
Japanese script and appear in the output. Without LANGUAGE the output stays English.

Usage: check-cli-ja.py NEURAL_LAB_CLI LOCALEDIR
LOCALEDIR is the build tree's po/ (it holds ja/LC_MESSAGES/neural-lab.mo).
"""
import os
import re
import shutil
import subprocess
import sys

JAPANESE = re.compile(r'[\u3040-\u30ff\u4e00-\u9fff]')
DOMAIN = 'neural-lab'


def environment(localedir, language):
    env = {k: v for k, v in os.environ.items() if not k.startswith('LC_') and k != 'LANGUAGE'}
    # C.UTF-8 is enough: glibc honours LANGUAGE unless the locale is plain "C"/"POSIX",
    # so no ja_JP locale needs to be generated.
    env['LC_ALL'] = 'C.UTF-8'
    env['NEURAL_LAB_LOCALEDIR'] = localedir
    if language:
        env['LANGUAGE'] = language
    return env


def translate(localedir, msgid):
    result = subprocess.run(['gettext', '-d', DOMAIN, '-e', '--', msgid], capture_output=True,
                            text=True, env=dict(environment(localedir, 'ja'),
                                                TEXTDOMAINDIR=localedir))
    return result.stdout


def run(cli, localedir, language, *args):
    result = subprocess.run([cli, *args], capture_output=True, text=True,
                            env=environment(localedir, language))
    return result.returncode, result.stdout + result.stderr


def main():
    cli, localedir = sys.argv[1], os.path.abspath(sys.argv[2])
    if shutil.which('gettext') is None:
        print('SKIP: the gettext program is not installed')
        return 77
    mo = os.path.join(localedir, 'ja', 'LC_MESSAGES', DOMAIN + '.mo')
    if not os.path.isfile(mo):
        print(f'FAIL: {mo} was not built')
        return 1

    failures = 0
    cases = [
        (('--help',), 0, ['Usage:', 'Train and use Neural Lab projects without a display.',
                          'Train a project and report its loss and accuracy', 'Commands:']),
        (('train', '--help'), 0, ['Train N epochs (default: the project’s)',
                                  'Print nothing but errors']),
        (('new', '--help'), 0, ['Noise from 0 to 1', 'Samples per mini-batch']),
    ]
    for args, want_status, msgids in cases:
        status, output = run(cli, localedir, 'ja', *args)
        shown = ' '.join(args)
        if status != want_status:
            print(f'FAIL: LANGUAGE=ja neural-lab-cli {shown} exited {status}\n{output}')
            failures += 1
            continue
        for msgid in msgids:
            expected = translate(localedir, msgid)
            if expected == msgid or not JAPANESE.search(expected):
                print(f'FAIL: {msgid!r} has no Japanese translation in {mo}')
                failures += 1
            elif expected not in output:
                print(f'FAIL: neural-lab-cli {shown} does not print {expected!r} '
                      f'(the translation of {msgid!r}):\n{output}')
                failures += 1
        print(f'LANGUAGE=ja neural-lab-cli {shown}:\n' + output)

    # An error names the problem in Japanese too.
    status, output = run(cli, localedir, 'ja', 'no-such-command')
    if status == 0 or not JAPANESE.search(output):
        print(f'FAIL: an unknown command is not refused in Japanese: {output!r}')
        failures += 1

    # Without LANGUAGE the same build stays English.
    status, output = run(cli, localedir, None, '--help')
    if 'Usage:' not in output or JAPANESE.search(output):
        print(f'FAIL: without LANGUAGE neural-lab-cli --help is not English:\n{output}')
        failures += 1

    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
