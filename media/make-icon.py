#!/usr/bin/env python3
"""Draws media/icon.png, the marketplace icon: three overlapping circles (TypeScript blue,
C violet, Python yellow) for the languages of one process, with a bug where all three meet.

Standard library only (zlib + struct write the PNG), so anyone can regenerate the icon without
installing an image library; the output is deterministic, so a rerun leaves git clean.
Usage: python3 media/make-icon.py [output.png]   (default: icon.png beside this script)
"""
import math
import os
import struct
import sys
import zlib

SIZE = 256  # the marketplace shows 128 px; 256 stays sharp on high-density screens


# Shapes are signed distance functions (pixels, negative inside): coverage = clamp(0.5 - d)
# gives one-pixel anti-aliased edges without supersampling, which keeps pure Python fast enough.
def circle(cx, cy, r):
    return lambda x, y: math.hypot(x - cx, y - cy) - r


def rounded_square(inset, radius):
    half = SIZE / 2 - inset

    def d(x, y):
        qx = abs(x - SIZE / 2) - (half - radius)
        qy = abs(y - SIZE / 2) - (half - radius)
        outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
        return outside + min(max(qx, qy), 0.0) - radius
    return d


def ellipse(cx, cy, rx, ry):
    # Not an exact distance, but close enough near the edge for anti-aliasing at this size.
    return lambda x, y: (math.hypot((x - cx) / rx, (y - cy) / ry) - 1.0) * min(rx, ry)


def segment(x0, y0, x1, y1, width):
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy

    def d(x, y):
        t = max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / length2))
        return math.hypot(x - (x0 + t * dx), y - (y0 + t * dy)) - width / 2
    return d


def union(*shapes):
    return lambda x, y: min(s(x, y) for s in shapes)


def grow(shape, by):
    return lambda x, y: shape(x, y) - by


def hex_rgb(code):
    return tuple(int(code[i:i + 2], 16) / 255 for i in (1, 3, 5))


def bug(cx, cy, scale):
    """A beetle facing up: head, body with a centre line cut out later, three legs a side."""
    s = scale
    parts = [ellipse(cx, cy + 4 * s, 13 * s, 17 * s), circle(cx, cy - 15 * s, 7.5 * s)]
    for side in (-1, 1):
        parts += [
            segment(cx + side * 10 * s, cy - 5 * s, cx + side * 22 * s, cy - 12 * s, 3.2 * s),
            segment(cx + side * 12 * s, cy + 4 * s, cx + side * 25 * s, cy + 4 * s, 3.2 * s),
            segment(cx + side * 10 * s, cy + 13 * s, cx + side * 21 * s, cy + 23 * s, 3.2 * s),
            segment(cx + side * 4 * s, cy - 20 * s, cx + side * 10 * s, cy - 29 * s, 2.6 * s),
        ]
    return union(*parts)


def layers():
    """Back to front: (shape, colour, opacity)."""
    c = SIZE / 2
    r = SIZE * 0.225
    spread = SIZE * 0.14
    # Triangle of centres around the middle, slightly lowered so the group looks centred.
    centres = [(c + spread * math.cos(a), c + 6 + spread * math.sin(a))
               for a in (math.radians(-90 - 120), math.radians(-90), math.radians(-90 + 120))]
    bx, by = c, c + 4
    body_line = segment(bx, by - 9, bx, by + 23, 2.4)
    beetle = bug(bx, by, 1.15)
    return [
        (rounded_square(6, 44), hex_rgb('#1b2030'), 1.0),
        (circle(*centres[0], r), hex_rgb('#3178c6'), 0.85),  # TypeScript
        (circle(*centres[1], r), hex_rgb('#ffd43b'), 0.85),  # Python
        (circle(*centres[2], r), hex_rgb('#8a6fe0'), 0.75),  # C
        (grow(beetle, 3.5), hex_rgb('#1b2030'), 0.9),  # dark halo keeps the bug readable on any colour
        (beetle, hex_rgb('#ffffff'), 1.0),
        (body_line, hex_rgb('#1b2030'), 1.0),
    ]


def render():
    stack = layers()
    rows = []
    for py in range(SIZE):
        row = bytearray([0])  # filter type 0 (None) for every scanline
        for px in range(SIZE):
            x, y = px + 0.5, py + 0.5
            r = g = b = a = 0.0  # premultiplied, composited front-over-back in painting order
            for shape, (cr, cg, cb), opacity in stack:
                cover = max(0.0, min(1.0, 0.5 - shape(x, y))) * opacity
                if cover:
                    r = cr * cover + r * (1 - cover)
                    g = cg * cover + g * (1 - cover)
                    b = cb * cover + b * (1 - cover)
                    a = cover + a * (1 - cover)
            if a > 0:
                row += bytes(round(v / a * 255) for v in (r, g, b)) + bytes([round(a * 255)])
            else:
                row += b'\0\0\0\0'
        rows.append(bytes(row))
    return b''.join(rows)


def png(width, height, rgba):
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack('>IIBBBBB', width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(rgba, 9)) + chunk(b'IEND', b'')


if __name__ == '__main__':
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), 'icon.png')
    with open(out, 'wb') as f:
        f.write(png(SIZE, SIZE, render()))
    print(f'wrote {out}')
