#!/usr/bin/python3
"""Builds the small TorchScript ResNet used by facet-embed's tests.

A torchvision-style ResNet (7x7 stem, max-pool, four stages of torchvision BasicBlocks, global
average pooling, fc replaced by identity) but 4x narrower than ResNet-18 with one block per stage,
so the traced file stays under 2 MB. Random init from a fixed seed; BatchNorm running statistics are
filled by a few seeded forward passes in train mode so that eval-mode BatchNorm is not an identity.

Writes, next to each other:
  tiny-resnet.pt             the traced module (input N x 3 x 224 x 224, output N x 128)
  tiny-resnet-expected.json  the raw (not normalized) output for the fixed input defined in fixed_input()

Run with Debian's interpreter (python3-torch 1.13, python3-torchvision 0.14):
  /usr/bin/python3 src/models/make-test-resnet.py modules/facet-embed/src/test/resources/torchscript
"""
import json
import os
import sys

import torch
from torch import nn
from torchvision.models.resnet import BasicBlock

WIDTHS = (16, 32, 64, 128)
SEED = 20261123


class NarrowResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, WIDTHS[0], kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(WIDTHS[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        stages = []
        inplanes = WIDTHS[0]
        for i, width in enumerate(WIDTHS):
            stride = 1 if i == 0 else 2
            downsample = None
            if stride != 1 or inplanes != width:
                downsample = nn.Sequential(
                    nn.Conv2d(inplanes, width, kernel_size=1, stride=stride, bias=False),
                    nn.BatchNorm2d(width))
            stages.append(BasicBlock(inplanes, width, stride, downsample))
            inplanes = width
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        # torchvision's classifier, removed the same way as when exporting a pretrained model.
        self.fc = nn.Identity()

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def fixed_input(n):
    """Exactly representable in float32 and reproduced bit for bit by the Java test."""
    idx_n = torch.arange(n).view(n, 1, 1, 1)
    idx_c = torch.arange(3).view(1, 3, 1, 1)
    idx_h = torch.arange(224).view(1, 1, 224, 1)
    idx_w = torch.arange(224).view(1, 1, 1, 224)
    v = (idx_n * 31 + idx_c * 17 + idx_h * 7 + idx_w * 3) % 23 - 11
    return v.to(torch.float32) / 8.0


def main(out_dir):
    torch.manual_seed(SEED)
    model = NarrowResNet()
    model.train()
    with torch.no_grad():
        for _ in range(4):
            model(torch.randn(8, 3, 224, 224))
    model.eval()
    example = fixed_input(2)
    with torch.no_grad():
        traced = torch.jit.trace(model, example)
        expected = traced(example)
    os.makedirs(out_dir, exist_ok=True)
    traced.save(os.path.join(out_dir, "tiny-resnet.pt"))
    with open(os.path.join(out_dir, "tiny-resnet-expected.json"), "w") as f:
        json.dump({"seed": SEED, "widths": list(WIDTHS), "torch": torch.__version__,
                   "input": "((n*31 + c*17 + h*7 + w*3) % 23 - 11) / 8, shape [2,3,224,224]",
                   "output": expected.tolist()}, f)
    print("wrote", out_dir, "output dim", expected.shape[1])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
