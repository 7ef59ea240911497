#!/usr/bin/python3
"""Exports a pretrained torchvision ResNet as a TorchScript feature extractor for Facet.

The classifier (fc) is replaced by identity, so the traced module maps N x 3 x 224 x 224
ImageNet-normalized RGB to the pooled features (512 for resnet18/34, 2048 for resnet50/101/152).
Loaded by facet-embed's TorchScriptImageEncoder (`--image-model PATH`, or a models/ descriptor).

torchvision downloads the ImageNet weights from download.pytorch.org on first use (Debian's
python3-torchvision ships none), so run this once on a machine with network access:

  /usr/bin/python3 src/models/export-torchvision-resnet.py --arch resnet50 \
      --out models/resnet50-torchvision.pt --descriptor models/resnet50-torchvision.json

--descriptor writes the matching descriptor with the file's sha256 (overwriting the example one).
"""
import argparse
import hashlib
import json
import os

import torch
import torchvision

DIMS = {"resnet18": 512, "resnet34": 512, "resnet50": 2048, "resnet101": 2048, "resnet152": 2048}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", choices=sorted(DIMS), default="resnet50")
    p.add_argument("--out", required=True)
    p.add_argument("--descriptor")
    a = p.parse_args()
    model = getattr(torchvision.models, a.arch)(weights="DEFAULT")
    model.fc = torch.nn.Identity()
    model.eval()
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.zeros(1, 3, 224, 224))
    traced.save(a.out)
    with open(a.out, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    print(a.out, "sha256", sha)
    if a.descriptor:
        desc_dir = os.path.dirname(os.path.abspath(a.descriptor))
        d = {
            "id": os.path.splitext(os.path.basename(a.descriptor))[0],
            "kind": "image", "engine": "PyTorch", "format": "torchscript",
            "architecture": "torchvision " + a.arch + " (ImageNet), fc replaced by identity",
            "source": "file",
            "weights": os.path.relpath(os.path.abspath(a.out), desc_dir),
            "sha256": sha,
            "input": {"size": 224, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
            "output": {"dim": DIMS[a.arch], "pooling": "global-average", "normalization": "l2"},
            "licence": "torchvision code BSD-3-Clause; ImageNet-trained weights under torchvision's model terms",
            "obtain": "/usr/bin/python3 src/models/export-torchvision-resnet.py --arch " + a.arch
                      + " --out " + a.out + " --descriptor " + a.descriptor,
        }
        with open(a.descriptor, "w") as f:
            json.dump(d, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
