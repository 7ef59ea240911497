#!/usr/bin/python3
"""Rebuilds the ImageNet-pretrained InceptionV3 trunk shipped in the npm package nsfwjs@4.4.0 as a
TorchScript feature extractor for Facet, and writes its descriptor.

nsfwjs (MIT) carries two Keras models in TF.js layers format as base64 JS bundles. Its InceptionV3
was built from keras.applications with ImageNet weights, frozen up to mixed5; mixed6 to mixed10 and
a dense head were fine-tuned for a 5-class image-content classifier. Facet keeps the graph up to the
deepest block it pools and drops the rest (classifier included).

Steps (node and npm are needed here only, never by Facet itself):
  1. `npm pack nsfwjs@4.4.0` (or --tgz FILE), checked against the sha256 below;
  2. node require() of dist/models/inception_v3/*.min.js yields model.json and the 8-bit quantised
     weight shards (value = min + scale * q);
  3. the Keras functional graph is rebuilt op by op in torch: TF "same" padding (extra pixel at the
     end when the total is odd), average pooling that does not count the padding, BatchNorm with
     epsilon 1e-3 and no gamma, channels-last kernels transposed to torch's layout;
  4. the module takes what Facet's image pipeline produces (N x 3 x S x S RGB, ImageNet mean/std
     normalised), undoes that normalisation (the Keras model was trained on RGB / 255), runs the
     trunk and pools the chosen blocks (see HEAD below) into one vector;
  5. traced with torch.jit.trace, stored as float16 (--half) or float32, and checked against the
     untraced module; the descriptor records the tgz's and the .pt file's sha256.

  /usr/bin/python3 src/models/convert-nsfwjs-inception.py \
      --out models/image-inception-nsfwjs/image-inception-nsfwjs.pt \
      --descriptor models/image-inception-nsfwjs.json
"""
import argparse
import base64
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

PACKAGE = "nsfwjs@4.4.0"
PACKAGE_SHA256 = "585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382"
MODEL_DIR = "package/dist/models/inception_v3"
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]

EXTRACT_JS = r"""
const fs = require('fs'), path = require('path');
const dir = process.argv[2], out = process.argv[3];
for (const f of fs.readdirSync(dir)) {
  if (!f.endsWith('.min.js')) continue;
  const v = require(path.resolve(dir, f));
  const name = f.replace('.min.js', '');
  if (typeof v === 'string') fs.writeFileSync(path.join(out, name + '.bin'), Buffer.from(v, 'base64'));
  else fs.writeFileSync(path.join(out, name + '.json'), JSON.stringify(v));
}
"""


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(work, tgz):
    if tgz is None:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=work, check=True, stdout=subprocess.DEVNULL)
        tgz = os.path.join(work, "nsfwjs-4.4.0.tgz")
    actual = sha256(tgz)
    if actual != PACKAGE_SHA256:
        sys.exit("%s has sha256 %s, expected %s" % (tgz, actual, PACKAGE_SHA256))
    subprocess.run(["tar", "xzf", os.path.abspath(tgz), MODEL_DIR], cwd=work, check=True)
    out = os.path.join(work, "extracted")
    os.makedirs(out)
    script = os.path.join(work, "extract.js")
    with open(script, "w") as f:
        f.write(EXTRACT_JS)
    subprocess.run(["node", script, os.path.join(work, MODEL_DIR), out], check=True)
    return out


def load_weights(extracted):
    with open(os.path.join(extracted, "model.json")) as f:
        model = json.load(f)
    manifest = model["weightsManifest"][0]
    blob = b"".join(open(os.path.join(extracted, p + ".bin"), "rb").read() for p in manifest["paths"])
    weights, offset = {}, 0
    for w in manifest["weights"]:
        q = w["quantization"]
        n = int(np.prod(w["shape"])) if w["shape"] else 1
        if q["dtype"] != "uint8":
            raise ValueError("unsupported quantisation %s of %s" % (q["dtype"], w["name"]))
        raw = np.frombuffer(blob, dtype=np.uint8, count=n, offset=offset).astype(np.float32)
        weights[w["name"]] = (q["min"] + q["scale"] * raw).reshape(w["shape"])
        offset += n
    if offset != len(blob):
        raise ValueError("weights use %d of %d bytes" % (offset, len(blob)))
    return model["modelTopology"]["model_config"]["config"]["layers"], weights


def same_pad(x, k, s):
    """TF 'same': total padding so that out = ceil(in / s), the odd pixel at the end."""
    pads = []
    for size, kk, ss in ((x.shape[3], k[1], s[1]), (x.shape[2], k[0], s[0])):
        total = max((math.ceil(size / ss) - 1) * ss + kk - size, 0)
        pads += [total // 2, total - total // 2]
    return pads


class KerasTrunk(torch.nn.Module):
    """The Keras functional graph up to the layers in `outputs`, evaluated in topological order."""

    def __init__(self, layers, weights, outputs):
        super().__init__()
        by_name = {l["name"]: l for l in layers}
        needed, stack = set(), list(outputs)
        while stack:
            name = stack.pop()
            if name in needed:
                continue
            needed.add(name)
            for node in by_name[name]["inbound_nodes"][:1]:
                stack += [i[0] for i in node]
        self.layers = [l for l in layers if l["name"] in needed]
        self.outputs = list(outputs)
        self.params = torch.nn.ParameterDict()
        for l in self.layers:
            n, c = l["name"], l["config"]
            if l["class_name"] == "Conv2D":
                if c["use_bias"] or c["activation"] != "linear" or c["dilation_rate"] != [1, 1]:
                    raise ValueError("unsupported conv " + n)
                k = torch.from_numpy(weights[n + "/kernel"]).permute(3, 2, 0, 1).contiguous()
                self.params[n + "_w"] = torch.nn.Parameter(k, requires_grad=False)
            elif l["class_name"] == "BatchNormalization":
                if c["scale"] or not c["center"]:
                    raise ValueError("unsupported batch norm " + n)
                var = torch.from_numpy(weights[n + "/moving_variance"])
                scale = 1.0 / torch.sqrt(var + c["epsilon"])
                shift = torch.from_numpy(weights[n + "/beta"]) - torch.from_numpy(weights[n + "/moving_mean"]) * scale
                self.params[n + "_s"] = torch.nn.Parameter(scale.view(1, -1, 1, 1), requires_grad=False)
                self.params[n + "_b"] = torch.nn.Parameter(shift.view(1, -1, 1, 1), requires_grad=False)

    def forward(self, x):
        values = {}
        for l in self.layers:
            n, c, kind = l["name"], l["config"], l["class_name"]
            ins = [values[i[0]] for i in l["inbound_nodes"][0]] if l["inbound_nodes"] else [x]
            y = ins[0]
            if kind == "Conv2D":
                k, s = c["kernel_size"], c["strides"]
                if c["padding"] == "same":
                    y = F.pad(y, same_pad(y, k, s))
                y = F.conv2d(y, self.params[n + "_w"].float(), stride=s)
            elif kind == "BatchNormalization":
                y = y * self.params[n + "_s"].float() + self.params[n + "_b"].float()
            elif kind == "Activation":
                if c["activation"] != "relu":
                    raise ValueError("unsupported activation " + n)
                y = F.relu(y)
            elif kind == "Concatenate":
                y = torch.cat(ins, dim=1)
            elif kind in ("MaxPooling2D", "AveragePooling2D"):
                k, s = c["pool_size"], c["strides"]
                if c["padding"] == "same":
                    if kind == "MaxPooling2D" or k[0] % 2 == 0 or s != [1, 1]:
                        raise ValueError("unsupported pooling " + n)
                    # TF averages over the window's pixels inside the image only.
                    y = F.avg_pool2d(y, k, s, padding=(k[0] // 2, k[1] // 2), count_include_pad=False)
                elif kind == "MaxPooling2D":
                    y = F.max_pool2d(y, k, s)
                else:
                    y = F.avg_pool2d(y, k, s)
            elif kind != "InputLayer":
                raise ValueError("unsupported layer %s (%s)" % (n, kind))
            values[n] = y
        return [values[o] for o in self.outputs]


# HEAD: which blocks are pooled and how; chosen by measurement (see models/image-inception-nsfwjs.json).
class Extractor(torch.nn.Module):
    """Facet input (ImageNet-normalised RGB) -> trunk -> pooled, concatenated block features."""

    def __init__(self, trunk, pooling):
        super().__init__()
        self.trunk = trunk
        self.pooling = pooling
        self.register_buffer("mean", torch.tensor(MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(STD).view(1, 3, 1, 1))

    def forward(self, x):
        x = x * self.std + self.mean
        parts = []
        for f in self.trunk(x):
            parts.append(pool(f, self.pooling))
        return torch.cat(parts, dim=1)


def pool(f, how):
    if how == "avg":
        return f.mean(dim=(2, 3))
    if how == "max":
        return f.amax(dim=(2, 3))
    if how == "avgmax":
        a = F.normalize(f.mean(dim=(2, 3)), dim=1)
        m = F.normalize(f.amax(dim=(2, 3)), dim=1)
        return torch.cat([a, m], dim=1)
    if how.startswith("gem"):
        p = float(how[3:])
        return f.clamp(min=1e-6).pow(p).mean(dim=(2, 3)).pow(1.0 / p)
    raise ValueError("unknown pooling " + how)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tgz", help="an already downloaded nsfwjs-4.4.0.tgz (else npm pack fetches it)")
    p.add_argument("--blocks", default="mixed7", help="comma-separated Keras layers whose pooled features are concatenated")
    p.add_argument("--pooling", default="avg", help="avg, max, avgmax or gem<p>")
    p.add_argument("--size", type=int, default=240, help="input side Facet's pipeline feeds")
    p.add_argument("--half", action="store_true", help="store the weights as float16 (Facet loads them as float32)")
    p.add_argument("--out", required=True)
    p.add_argument("--descriptor")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as work:
        layers, weights = load_weights(fetch(work, a.tgz))
    blocks = a.blocks.split(",")
    model = Extractor(KerasTrunk(layers, weights, blocks), a.pooling).eval()
    example = torch.rand(2, 3, a.size, a.size)
    example = (example - model.mean) / model.std
    with torch.no_grad():
        reference = model(example)
        if a.half:
            # float16 storage, float32 arithmetic: the trunk casts each weight as it uses it.
            model.trunk.half()
        traced = torch.jit.trace(model, example)
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        traced.save(a.out)
        check = torch.jit.load(a.out)(example)
    err = (F.normalize(check, dim=1) - F.normalize(reference, dim=1)).abs().max().item()
    print("saved %s: %d-dim, max |difference| of normalised vectors vs float32 eager %.2e" % (a.out, reference.shape[1], err))
    if a.descriptor:
        write_descriptor(a, reference.shape[1])


def write_descriptor(a, dim):
    d = {
        "id": os.path.splitext(os.path.basename(a.descriptor))[0],
        "kind": "image",
        "engine": "PyTorch",
        "format": "torchscript",
        "architecture": "InceptionV3 (keras.applications, ImageNet weights) up to %s; %s pooling of %s"
        % (a.blocks.split(",")[-1], a.pooling, a.blocks),
        "source": "npm:%s (sha256 %s), dist/models/inception_v3, converted by src/models/convert-nsfwjs-inception.py"
        % (PACKAGE, PACKAGE_SHA256),
        "weights": os.path.relpath(os.path.abspath(a.out), os.path.dirname(os.path.abspath(a.descriptor))),
        "sha256": sha256(a.out),
        "weightsDtype": "float16 stored, cast to float32 inside the module" if a.half else "float32",
        "input": {"size": a.size, "mean": MEAN, "std": STD,
                  "recipe": "RGB, shorter side resized to %d then centre crop (Facet's ImagePipeline), ImageNet mean/std; "
                            "the module undoes that normalisation, so the network sees RGB / 255 as nsfwjs trained it" % a.size},
        "output": {"dim": dim, "layers": a.blocks.split(","), "pooling": a.pooling, "normalization": "l2"},
        "licence": "MIT (nsfwjs by Infinite Red, Inc.); InceptionV3 ImageNet weights from keras.applications",
        "note": "8-bit quantised weights as shipped; frozen ImageNet weights up to mixed5, mixed6-mixed10 fine-tuned by "
                "nsfwjs for a 5-class image-content classifier (drawing, hentai, neutral, porn, sexy); the classifier and "
                "every layer after the pooled blocks are dropped",
        "obtain": "/usr/bin/python3 src/models/convert-nsfwjs-inception.py --blocks %s --pooling %s --size %d%s --out %s "
                  "--descriptor %s (needs npm, node and Debian's python3-torch; see README)"
        % (a.blocks, a.pooling, a.size, " --half" if a.half else "", a.out, a.descriptor),
    }
    with open(a.descriptor, "w") as f:
        json.dump(d, f, indent=2)
        f.write("\n")
    print("wrote", a.descriptor)


if __name__ == "__main__":
    main()
