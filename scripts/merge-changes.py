#!/usr/bin/env python3
"""Merges the changelog fragments in changes/*.md into CHANGELOG.md's [Unreleased] section.

Each fragment has `### Added` / `### Changed` / `### Deprecated` / `### Fixed` / `### Removed` headings with
bullets; bullets are appended under the same heading of [Unreleased], prefixed with the fragment's topic,
and the fragments are removed. Run it when cutting a release (or to fold the fragments in)."""
import pathlib, re, sys

root = pathlib.Path(__file__).resolve().parent.parent
changelog = root / 'CHANGELOG.md'
order = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed']
frags = sorted((root / 'changes').glob('*.md'))
if not frags:
    sys.exit('no fragments in changes/')
collected = {k: [] for k in order}
for f in frags:
    topic = f.stem
    section = None
    bullet = None
    for line in f.read_text().splitlines():
        m = re.match(r'^###\s+(\w+)', line)
        if m:
            section = m.group(1) if m.group(1) in collected else None
            continue
        if section is None or not line.strip():
            continue
        if line.startswith('- '):
            bullet = [f'- **{topic}**: {line[2:]}']
            collected[section].append(bullet)
        elif bullet is not None:
            bullet.append(line)
text = changelog.read_text()
start = text.index('## [Unreleased]')
nxt = text.find('\n## [', start + 1)
head, body, tail = text[:start], text[start:nxt if nxt >= 0 else len(text)], text[nxt:] if nxt >= 0 else ''
for sec in order:
    if not collected[sec]:
        continue
    lines = '\n'.join('\n'.join(b) for b in collected[sec])
    h = f'### {sec}\n'
    if h in body:
        i = body.index(h) + len(h)
        j = body.find('\n### ', i)
        j = len(body) if j < 0 else j
        body = body[:j].rstrip('\n') + '\n' + lines + '\n' + body[j:]
    else:
        body = body.rstrip('\n') + f'\n\n{h}\n{lines}\n'
changelog.write_text(head + body.rstrip('\n') + '\n' + (tail if tail.startswith('\n') else ('\n' + tail if tail else '')))
for f in frags:
    f.unlink()
print(f'merged {len(frags)} fragments')
