"""Tricky .env files, as raw bytes, for the differential tests against the real npm dotenv.

Each shows one way dotenv 16.6.1 reads a file that a reader might not expect; together they cover
the three quotes, multi-line values, `export`, comments, CRLF and lone CR, a BOM, `${VAR}`, bytes
that are not UTF-8, lines without `=`, `KEY: v`, duplicates, `__proto__`, NUL and Unicode spaces.
"""

from __future__ import annotations

CORPUS: dict[str, bytes] = {
    "basic": b"A=1\nB=two\nC=three four\n",
    "quotes_three_kinds": b"S='single'\nD=\"double\"\nT=`backtick`\n",
    "quotes_inner": b"A='it\"s'\nB=\"it's\"\nC=`a 'b' \"c\"`\nD='a`b'\n",
    "double_escapes": (
        b"A=\"line1\\nline2\"\nB='line1\\nline2'\nC=`line1\\n"
        b'line2`\nD="cr\\rhere"\nE="tab\\tnot"\nF="dbl\\\\nbs"\n'
    ),
    "escaped_quotes": b'A="say \\"hi\\""\nB=\'it\\\'s\'\nC="unterminated \\"\nD=after\n',
    "multiline_double": b'KEY="-----BEGIN-----\nabc\ndef\n-----END-----"\nNEXT=1\n',
    "multiline_single_backtick": b"S='l1\nl2'\nT=`l1\nl2\nl3`\nN=ok\n",
    "multiline_unterminated": b'A="never closed\nB=2\nC=3\n',
    "multiline_closed_later": b'A="starts\nB=2\nC=3"\nD=4\n',
    "export_prefix": b"export A=1\nexport  B = 2\nexport\tC=3\nexport=4\nexport D\nE=5\nexportF=6\n",
    "export_newline": b"export\nG=7\nexport   \n\nH=8\n",
    "inline_comments": (
        b"A=value # comment\nB=value#nospace\nC='quoted' # c\n"
        b'D="quoted"#c\nE=#onlycomment\nF= # just comment\n'
    ),
    "hash_in_quotes": b"A='#not comment'\nB=\"pass#word\"\nC=`#x`\nD=\"a\" # real\nE='x#y' #z\n",
    "crlf": b"A=1\r\nB=\"x\r\ny\"\r\nC='q'\r\n# c\r\nD=4 # c\r\n",
    "lone_cr": b'A=1\rB=2\rC="x\ry"\r',
    "bom": b"\xef\xbb\xbfA=1\nB=2\n",
    "bom_mid": b"A=\xef\xbb\xbfv\xef\xbb\xbf\n\xef\xbb\xbfB=2\nC=x\xef\xbb\xbfy\n",
    "dollar_vars": b"A=1\nB=${A}\nC=$A\nD=\"${A}\"\nE='$A'\nF=\\$A\n",
    "invalid_utf8": (
        b"A=ok\nB=\xff\xfe\nC=caf\xe9\nD=\xc3\x28\nE=\xe2\x82\nF=\xf0\x80\x80\x80\n"
        b"G=\xed\xa0\x80\nH=\xf4\x90\x80\x80\nI=\xc0\xaf\nJ=\xe2\x82\xac\n\xffK=1\n"
    ),
    "no_equals": b"JUSTAWORD\nA=1\nsome words here\nB\n=5\nC=3\n",
    "empty_values": b"A=\nB=''\nC=\"\"\nD=``\nE= \nF=   # c\nG\n",
    "empty_then_quote_next_line": b"A=\n\"captured\"\nB=2\nC=\n  'also'\n",
    "duplicates": b'A=1\nA=2\nB=x\nB=\nC=first\nC="second"\n',
    "spaces_around_eq": b'A = 1\nB  =  2  \n  C=3\n\tD\t=\t4\nE ="q" \n',
    "keys_dots_dashes": b"a.b=1\nc-d=2\n.e=3\n-f=4\nG_H=5\n9X=6\nA$B=7\nA/B=8\n",
    "colon_sep": b"A: 1\nB:2\nC :3\nD:  'q'\nE:\tx\nF: \"y\" # c\n",
    "colon_newline": b"A:\nB=2\nC=3\nD:\n\nE=5\n",
    "key_newline_eq": b"A\n=1\nB\n\n= 2\nC=3\n",
    "unicode": (
        'A=h\u00e9llo\nB=\u65e5\u672c\u8a9e\nC=\U0001f600\nD="\u00e9\\n"\nE=\u00a0nbsp\u00a0\nF=x\u3000\n'
    ).encode(),
    "unicode_keys": "\u00e9=1\nA\u00e9=2\nK\u2028L=3\n".encode(),
    "line_separators": "A=x\u2028B=y\nC='q'\u2028D=z\nE=a\u2029'b'\nF=\"m\u2028n\"\nG=#c\u2028H=h\n".encode(),
    "nel_and_ctrl": b"A=x\xc2\x85y\nB=\x1c\x1dz\x1f\nC=\x0bv\x0c\n",
    "quote_then_junk": b"A='x' junk\nB=\"y\" junk\nC=`z` junk\nD=\"y\\n\" junk\nE='p'q'\n",
    "mismatched_quotes": b"A='x\"\nB=\"y'\nC='\nD=\"\nE=`\nF=2\n",
    "trailing_ws_and_tabs": b"A=value   \nB=\tvalue\t\nC='  keep  '\nD=\"  keep  \"  \n",
    "comments_and_blank": b"# top\n\n   # indented\n\nA=1 # c\n#B=2\n ;C=3\nD=4\n",
    "no_trailing_newline": b'A=1\nB="x"',
    "nul_bytes": b'A=a\x00b\nB="\x00"\n',
    "proto_keys": b"__proto__=x\nconstructor=y\ntoString=z\nhasOwnProperty=w\n1=one\n",
    "backslashes": b'A=C:\\path\\n\nB="C:\\path\\new"\nC=\'C:\\new\'\nD="a\\\\"\nE=x\n',
    "equals_in_value": b'A=b=c\nB="x=y"\nC==d\nD= = \n',
    "escaped_quote_candidates": b'A="a\\" # c\nB="b\\" x\\"\nC="c" x " \nD=1\n',
    "quoted_nextline_comment": b"A=v\n# comment\nB=w\n   \n  \nC=x\n",
    "export_only_lines": b"export\nexport \nexport A\nexport A=\nB=1\n",
    "weird_whitespace_eq": "A\u00a0=1\nB=\u3000'q'\u3000\nC\u2003=\u2003v\n".encode(),
    "many_lines": b"".join(b"K%d=v%d\n" % (i, i) for i in range(200)),
    "swallowed_settings": b'CONVEX_URL="http://127.0.0.1:3210\nCONVEX_DEPLOYMENT=dev:x\nNEXT="y"\nLAST=1\n',
    "pem_value": (
        b'KEY="-----BEGIN KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA==\n-----END KEY-----"\nB=2\n'
    ),
    "crlf_multiline_single": b"A='l1\r\nl2'\r\nB=`x\ry`\r\n",
    "comment_latin1": b"# caf\xe9 au lait\nCONVEX_URL=http://127.0.0.1:3210\n",
    "colon_space_value": b"CONVEX_URL: http://127.0.0.1:3210\nB:  two words # c\n",
    "export_tabs_and_comments": b"\texport\tA=1 # c\n  export B='2'#c\nexport\n\nC=3\n",
    "all_blank_and_comments": b"\n\n# only\n   \n\t\n#\n",
    "empty_file": b"",
    "only_bom": b"\xef\xbb\xbf",
    "value_with_lone_backslash_quote": b"A=\"x\\\"\nB=\\\"\nC='\\''\n",
}
