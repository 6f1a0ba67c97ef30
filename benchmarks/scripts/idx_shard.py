"""Part k of n of MNIST's gzipped IDX train files (image i goes to part i mod n), and links to the t10k files.

Usage: idx_shard.py MNIST_DIR DATA_DIR N K  -> DATA_DIR/train/train-*.gz (part K), DATA_DIR/validation/t10k-*.gz
"""
import gzip
import os
import struct
import sys

src, dst, n, k = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
os.makedirs(os.path.join(dst, "train"), exist_ok=True)
os.makedirs(os.path.join(dst, "validation"), exist_ok=True)
for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"):
    raw = gzip.open(os.path.join(src, name)).read()
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    item = 1
    for d in shape[1:]:
        item *= d
    body = raw[4 + 4 * dims:]
    keep = range(k, shape[0], n)
    out = raw[:4] + struct.pack(">I", len(keep)) + raw[8:4 + 4 * dims]
    out += b"".join(body[i * item:(i + 1) * item] for i in keep)
    with gzip.open(os.path.join(dst, "train", name), "wb", compresslevel=1) as f:
        f.write(out)
for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
    os.symlink(os.path.abspath(os.path.join(src, name)), os.path.join(dst, "validation", name))
