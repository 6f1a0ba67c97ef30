#!/usr/bin/python3
"""PyTorch CPU reference for LeNet on the full MNIST (IDX .gz files), the same network as Sagebox's `lenet`:
conv 5x5x20 -> max-pool 2 -> conv 5x5x50 -> max-pool 2 -> dense 500 (ReLU) -> 10, ReLU after the convolutions, Adam.

Usage: /usr/bin/python3 benchmarks/scripts/lenet_pytorch_reference.py --mnist ../shared/data/mnist --epochs 2
Prints one JSON object: seconds and images/s per epoch, test accuracy.
"""
import argparse
import gzip
import json
import os
import struct
import time

ap = argparse.ArgumentParser()
ap.add_argument("--mnist", required=True)
ap.add_argument("--epochs", type=int, default=2)
ap.add_argument("--batch", type=int, default=64)
ap.add_argument("--lr", type=float, default=0.001)
ap.add_argument("--threads", type=int, default=2)
args = ap.parse_args()

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(0)


def idx(name):
    with gzip.open(os.path.join(args.mnist, name), "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


xt = torch.tensor(idx("train-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
yt = torch.tensor(idx("train-labels-idx1-ubyte.gz"), dtype=torch.long)
xv = torch.tensor(idx("t10k-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
yv = torch.tensor(idx("t10k-labels-idx1-ubyte.gz"), dtype=torch.long)

net = nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(20, 50, 5), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(800, 500), nn.ReLU(), nn.Linear(500, 10))
opt = torch.optim.Adam(net.parameters(), lr=args.lr)
loss_fn = nn.CrossEntropyLoss()
epochs = []
for epoch in range(args.epochs):
    perm = torch.randperm(len(yt))
    t0 = time.perf_counter()
    net.train()
    for i in range(0, len(yt), args.batch):
        idx_ = perm[i:i + args.batch]
        opt.zero_grad()
        loss = loss_fn(net(xt[idx_]), yt[idx_])
        loss.backward()
        opt.step()
    secs = time.perf_counter() - t0
    epochs.append({"epoch": epoch, "seconds": round(secs, 2), "images_per_s": round(len(yt) / secs)})
net.eval()
with torch.no_grad():
    acc = float((net(xv).argmax(1) == yv).float().mean())
print(json.dumps({"torch": torch.__version__, "threads": args.threads, "epochs": epochs, "test_accuracy": acc,
                  "loadavg": os.getloadavg()}))
