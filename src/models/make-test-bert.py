#!/usr/bin/python3
"""Builds the tiny BERT-shaped TorchScript module used to test facet-embed's TorchScript text path.

Same calling convention as a traced HuggingFace BERT: forward(input_ids, attention_mask,
token_type_ids) with int64 [batch, tokens] inputs, returning (last_hidden_state,) of shape
[batch, tokens, 16]. Token ids are taken modulo 1000 so the embedding table stays small (the file
is ~100 KB). The attention mask takes part in the computation (masked tokens are zeroed before a
mixing step over the sequence), as in a real encoder, so padding must be handled by the caller's
mean pooling. Random init from a fixed seed.

Writes tiny-bert.pt and tiny-bert-expected.json (mean-pooled, not normalized, outputs for the
id sequences in SEQUENCES, each run on its own, unpadded).

  /usr/bin/python3 src/models/make-test-bert.py modules/facet-embed/src/test/resources/torchscript
"""
import json
import os
import sys

import torch
from torch import nn

SEED = 20261124
DIM = 16
SEQUENCES = [
    [101, 8123, 7032, 4767, 4767, 2771, 102],
    [101, 3424, 102],
    [101, 6163, 7212, 8024, 4638, 3173, 1922, 5384, 6981, 2360, 102],
]


class TinyBert(nn.Module):
    def __init__(self):
        super().__init__()
        self.words = nn.Embedding(1000, DIM)
        self.types = nn.Embedding(2, DIM)
        self.positions = nn.Embedding(512, DIM)
        self.mix = nn.Linear(DIM, DIM)
        self.out = nn.Linear(DIM, DIM)

    def forward(self, input_ids, attention_mask, token_type_ids):
        pos = torch.arange(input_ids.shape[1]).unsqueeze(0)
        h = self.words(input_ids % 1000) + self.types(token_type_ids) + self.positions(pos)
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        context = (h * m).sum(1, keepdim=True) / m.sum(1, keepdim=True)
        return (torch.tanh(self.out(h + self.mix(context))),)


def main(out_dir):
    torch.manual_seed(SEED)
    model = TinyBert().eval()
    example = torch.tensor([SEQUENCES[0]])
    ones = torch.ones_like(example)
    zeros = torch.zeros_like(example)
    with torch.no_grad():
        traced = torch.jit.trace(model, (example, ones, zeros))
        expected = []
        for seq in SEQUENCES:
            ids = torch.tensor([seq])
            h = traced(ids, torch.ones_like(ids), torch.zeros_like(ids))[0]
            expected.append(h.mean(1)[0].tolist())
    os.makedirs(out_dir, exist_ok=True)
    traced.save(os.path.join(out_dir, "tiny-bert.pt"))
    with open(os.path.join(out_dir, "tiny-bert-expected.json"), "w") as f:
        json.dump({"seed": SEED, "torch": torch.__version__, "sequences": SEQUENCES, "pooled": expected}, f)
    print("wrote", out_dir)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
