#!/usr/bin/env python3
"""Prints the folding tables in fold.rs: for each code point of Latin-1
Supplement + Latin Extended-A (U+00C0..U+017F) and Latin Extended Additional
(U+1E00..U+1EFF), the ASCII letter it folds to (Unicode NFKD with the
combining marks dropped), or '.' where there is none. Letters that fold to two
ASCII letters (ß, æ, œ, þ) are handled in fold.rs itself.
Run: python3 fold_table.py"""
import unicodedata

ONE_LETTER = {'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'ħ': 'h', 'ı': 'i',
              'ŀ': 'l', 'ŋ': 'n', 'ſ': 's', 'ŧ': 't', 'ĸ': 'k'}


def table(first, last):
    out = []
    for cp in range(first, last + 1):
        c = chr(cp).lower()
        if c in ONE_LETTER:
            out.append(ONE_LETTER[c])
            continue
        d = unicodedata.normalize('NFKD', c)
        base = ''.join(ch for ch in d if not unicodedata.combining(ch))
        out.append(base if len(base) == 1 and base.isascii() and base.isalpha() else '.')
    return ''.join(out)


for name, first, last in (('LATIN_1_AND_EXTENDED_A', 0xC0, 0x17F),
                          ('LATIN_EXTENDED_ADDITIONAL', 0x1E00, 0x1EFF)):
    text = table(first, last)
    print(f'const {name}: &[u8; {len(text)}] = b"\\')
    for i in range(0, len(text), 64):
        print(f'    {text[i:i + 64]}\\')
    print('";')
