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
    """The Keras functional graph up to the layers in `outputs`, evaluated in topological order.

    With fold=True (the default) the inference graph is simplified without changing what it computes:
    each BatchNormalization that follows a Conv2D is folded into that convolution's weights and bias;
    a TF "same" convolution whose padding is symmetric (stride 1, odd kernel: all of InceptionV3's)
    pads inside conv2d instead of through a separate F.pad copy; and a 3x3 "same" average pooling that
    feeds only a 1x1 convolution is moved after it (both are linear and the pooling's weights sum to
    one, so the order does not matter), which pools the convolution's fewer output channels.
    fold=False evaluates the graph op by op as Keras does (the reference the folded module is
    checked against)."""

    def __init__(self, layers, weights, outputs, fold=True):
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
        self.fold = fold
        consumers = {}
        for l in self.layers:
            for node in l["inbound_nodes"][:1]:
                for i in node:
                    consumers.setdefault(i[0], []).append(l)
        self.folded_bn, self.swapped_pool = {}, {}
        if fold:
            self._plan_folds(consumers)
        self.params = torch.nn.ParameterDict()
        for l in self.layers:
            self._add_params(l, weights)

    def _plan_folds(self, consumers):
        for l in self.layers:
            ins = [i[0] for i in l["inbound_nodes"][0]] if l["inbound_nodes"] else []
            kind, c = l["class_name"], l["config"]
            if kind == "BatchNormalization" and len(ins) == 1 and len(consumers.get(ins[0], [])) == 1 \
                    and ins[0] not in self.outputs:
                conv = next(x for x in self.layers if x["name"] == ins[0])
                if conv["class_name"] == "Conv2D":
                    self.folded_bn[conv["name"]] = l["name"]
            users = consumers.get(l["name"], [])
            if kind == "AveragePooling2D" and c["padding"] == "same" and len(users) == 1 and l["name"] not in self.outputs \
                    and users[0]["class_name"] == "Conv2D" and users[0]["config"]["kernel_size"] == [1, 1] \
                    and users[0]["config"]["strides"] == [1, 1]:
                self.swapped_pool[users[0]["name"]] = l

    def _add_params(self, l, weights):
        n, c = l["name"], l["config"]
        if l["class_name"] == "Conv2D":
            if c["use_bias"] or c["activation"] != "linear" or c["dilation_rate"] != [1, 1]:
                raise ValueError("unsupported conv " + n)
            k = torch.from_numpy(weights[n + "/kernel"]).permute(3, 2, 0, 1).contiguous()
            if n in self.folded_bn:
                scale, shift = bn_affine(weights, self.folded_bn[n], self._config(self.folded_bn[n]))
                k = k * scale.view(-1, 1, 1, 1)
                self.params[n + "_bias"] = torch.nn.Parameter(shift, requires_grad=False)
            self.params[n + "_w"] = torch.nn.Parameter(k, requires_grad=False)
        elif l["class_name"] == "BatchNormalization" and n not in self.folded_bn.values():
            scale, shift = bn_affine(weights, n, c)
            self.params[n + "_s"] = torch.nn.Parameter(scale.view(1, -1, 1, 1), requires_grad=False)
            self.params[n + "_b"] = torch.nn.Parameter(shift.view(1, -1, 1, 1), requires_grad=False)

    def _config(self, name):
        return next(x for x in self.layers if x["name"] == name)["config"]

    def forward(self, x):
        values = {}
        pooled = {p["name"] for p in self.swapped_pool.values()}
        for l in self.layers:
            n, c, kind = l["name"], l["config"], l["class_name"]
            ins = [values[i[0]] for i in l["inbound_nodes"][0]] if l["inbound_nodes"] else [x]
            if n in pooled:
                values[n] = ins[0]  # the pooling runs after its 1x1 convolution, see Conv2D
                continue
            if kind == "BatchNormalization" and n in self.folded_bn.values():
                values[n] = ins[0]  # folded into the convolution before it
                continue
            values[n] = self._layer(l, ins)
        return [values[o] for o in self.outputs]

    def _layer(self, l, ins):
        n, c, kind = l["name"], l["config"], l["class_name"]
        y = ins[0]
        if kind == "Conv2D":
            k, s = c["kernel_size"], c["strides"]
            pad = same_pad(y, k, s) if c["padding"] == "same" else [0, 0, 0, 0]
            bias = self.params[n + "_bias"].float() if n in self.folded_bn else None
            if self.fold and pad[0] == pad[1] and pad[2] == pad[3]:
                y = F.conv2d(y, self.params[n + "_w"].float(), bias, stride=s, padding=(pad[2], pad[0]))
            else:
                y = F.conv2d(F.pad(y, pad), self.params[n + "_w"].float(), bias, stride=s)
            if n in self.swapped_pool:
                y = avg_pool_same(y, self.swapped_pool[n]["config"])
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
                if kind == "MaxPooling2D":
                    raise ValueError("unsupported pooling " + l["name"])
                y = avg_pool_same(y, c)
            elif kind == "MaxPooling2D":
                y = F.max_pool2d(y, k, s)
            else:
                y = F.avg_pool2d(y, k, s)
        elif kind != "InputLayer":
            raise ValueError("unsupported layer %s (%s)" % (n, kind))
        return y


def bn_affine(weights, name, config):
    """BatchNormalization (no gamma) as y = x * scale + shift, per channel."""
    if config["scale"] or not config["center"]:
        raise ValueError("unsupported batch norm " + name)
    var = torch.from_numpy(weights[name + "/moving_variance"]).double()
    scale = 1.0 / torch.sqrt(var + config["epsilon"])
    shift = torch.from_numpy(weights[name + "/beta"]).double() - torch.from_numpy(weights[name + "/moving_mean"]).double() * scale
    return scale.float(), shift.float()


def avg_pool_same(y, c):
    """TF "same" average pooling, stride 1, odd window: averages over the window's pixels inside the image only."""
    k, s = c["pool_size"], c["strides"]
    if k[0] % 2 == 0 or k[1] % 2 == 0 or s != [1, 1]:
        raise ValueError("unsupported pooling %s %s" % (k, s))
    return F.avg_pool2d(y, k, s, padding=(k[0] // 2, k[1] // 2), count_include_pad=False)


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
    p.add_argument("--no-fold", action="store_true", help="keep BatchNorm and pooling op by op (slower, same output)")
    p.add_argument("--out", required=True)
    p.add_argument("--descriptor")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as work:
        layers, weights = load_weights(fetch(work, a.tgz))
    blocks = a.blocks.split(",")
    model = Extractor(KerasTrunk(layers, weights, blocks, fold=not a.no_fold), a.pooling).eval()
    unfolded = Extractor(KerasTrunk(layers, weights, blocks, fold=False), a.pooling).eval()
    example = torch.rand(2, 3, a.size, a.size)
    example = (example - model.mean) / model.std
    with torch.no_grad():
        reference = unfolded(example)
        folded = model(example)
        if a.half:
            # float16 storage, float32 arithmetic: the trunk casts each weight as it uses it.
            model.trunk.half()
        traced = torch.jit.trace(model, example)
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        traced.save(a.out)
        check = torch.jit.load(a.out)(example)
    fold_err = (F.normalize(folded, dim=1) - F.normalize(reference, dim=1)).abs().max().item()
    err = (F.normalize(check, dim=1) - F.normalize(reference, dim=1)).abs().max().item()
    print("folded float32 module vs the op-by-op Keras graph: max |difference| of normalised vectors %.2e" % fold_err)
    print("saved %s: %d-dim, max |difference| of normalised vectors vs the op-by-op float32 graph %.2e" % (a.out, reference.shape[1], err))
    if fold_err > 1e-4 or err > (2e-3 if a.half else 1e-4):
        sys.exit("the saved module does not reproduce the Keras graph")
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
        "inferenceGraph": "op by op as Keras" if a.no_fold else "BatchNorm folded into the convolutions, symmetric TF-same padding "
                          "inside conv2d, 3x3 average pooling moved after its 1x1 convolution (same function, checked to 1e-4)",
        "input": {"size": a.size, "mean": MEAN, "std": STD,
                  "recipe": "RGB, shorter side resized to %d then centre crop (Facet's ImagePipeline), ImageNet mean/std; "
                            "the module undoes that normalisation, so the network sees RGB / 255 as nsfwjs trained it" % a.size},
        "output": {"dim": dim, "layers": a.blocks.split(","), "pooling": a.pooling, "normalization": "l2"},
        "licence": "MIT (nsfwjs by Infinite Red, Inc.); InceptionV3 ImageNet weights from keras.applications",
        "note": "8-bit quantised weights as shipped; frozen ImageNet weights up to mixed5, mixed6-mixed10 fine-tuned by "
                "nsfwjs for a 5-class image-content classifier (drawing, hentai, neutral, porn, sexy); the classifier and "
                "every layer after the pooled blocks are dropped",
        "obtain": "/usr/bin/python3 src/models/convert-nsfwjs-inception.py --blocks %s --pooling %s --size %d%s%s --out %s "
                  "--descriptor %s (needs npm, node and Debian's python3-torch; see README)"
        % (a.blocks, a.pooling, a.size, " --half" if a.half else "", " --no-fold" if a.no_fold else "", a.out, a.descriptor),
    }
    if os.path.exists(a.descriptor):
        with open(a.descriptor) as f:
            old = json.load(f)
        if "measured" in old:  # written by hand from facet bench runs; kept across re-conversions
            d["measured"] = old["measured"]
    with open(a.descriptor, "w") as f:
        json.dump(d, f, indent=2)
        f.write("\n")
    print("wrote", a.descriptor)


if __name__ == "__main__":
    main()
