"""Tiny random-weight face models for faceswap-reactor, built in code (run in the insightface stack's interpreter).

The ONNX graphs have the real models' input/output names and shapes, so insightface's own router
(`model_zoo.get_model`) tells them apart as it does the real files: nine outputs make an SCRFD detector with
landmarks, two 128 px inputs an INSwapper (its identity map is the graph's last initializer), one square 112 px
input an ArcFace recogniser. The detector finds "faces" one can draw: a bright square filling exactly one
stride-32 cell of the 640 px detection image (a 32 px square at a multiple of 32 in a 640 px image) scores 1,
anything else 0; each box and its five landmarks sit at fixed offsets from the cell. The SFW classifier is a
tiny ViT whose head bias alone decides: "normal" wins in `nsfw-image-detection`, "nsfw" in the `-forced` kind.
The face restoration network is a random-weight GFPGAN (spandrel knows it only at full size).

    python -m tests.support.tiny_faceswap KIND DEST
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessor

OPSET = 13
STRIDES = (8, 16, 32)
FACE_STRIDE = 32  # only this level scores faces: one cell per drawn face, so NMS keeps exactly one box each
BOX = 1.5  # half the box side, in strides
LANDMARKS = [-0.5, -0.4, 0.5, -0.4, 0.0, 0.1, -0.4, 0.6, 0.4, 0.6]  # eyes, nose, mouth corners, in strides
# det_10g.onnx's output names: scores, boxes, landmarks, each for strides 8, 16, 32.
SCRFD_OUTPUTS = ["448", "471", "494", "451", "474", "497", "454", "477", "500"]


def _const(name: str, values: list[float] | list[int], dtype: type = np.float32) -> onnx.TensorProto:
    return numpy_helper.from_array(np.asarray(values, dtype=dtype), name)


def _per_anchor(nodes: list[onnx.NodeProto], source: str, values: str, width: int, out: str, tag: str) -> None:
    """(1,1,h,w) ones times a per-anchor vector -> (h*w*2, width): the layout SCRFD's decoder reads (2 anchors)."""
    nodes += [
        helper.make_node("Transpose", [source], [f"{tag}_t"], perm=[0, 2, 3, 1]),
        helper.make_node("Mul", [f"{tag}_t", values], [f"{tag}_v"]),
        helper.make_node("Concat", [f"{tag}_v", f"{tag}_v"], [f"{tag}_a"], axis=3),
        helper.make_node("Reshape", [f"{tag}_a", f"shape{width}"], [out]),
    ]


def scrfd() -> onnx.ModelProto:
    nodes: list[onnx.NodeProto] = []
    initializers = [_const("shape1", [-1, 1], np.int64), _const("shape4", [-1, 4], np.int64)]
    initializers += [_const("shape10", [-1, 10], np.int64), _const("zero", [0.0]), _const("one", [1.0])]
    initializers += [_const("box", [BOX] * 4), _const("landmarks", LANDMARKS), _const("one_score", [1.0])]
    for level, stride in enumerate(STRIDES):
        tag = f"s{stride}"
        gain, bias = (20.0, -10.0) if stride == FACE_STRIDE else (0.0, -10.0)  # logit 10 where the cell is white
        initializers += [_const(f"{tag}_gain", [gain]), _const(f"{tag}_bias", [bias])]
        nodes += [
            helper.make_node(
                "AveragePool", ["input.1"], [f"{tag}_pool"], kernel_shape=[stride, stride], strides=[stride, stride]
            ),
            helper.make_node("ReduceMean", [f"{tag}_pool"], [f"{tag}_mean"], axes=[1], keepdims=1),
            helper.make_node("Mul", [f"{tag}_mean", f"{tag}_gain"], [f"{tag}_scaled"]),
            helper.make_node("Add", [f"{tag}_scaled", f"{tag}_bias"], [f"{tag}_logit"]),
            helper.make_node("Sigmoid", [f"{tag}_logit"], [f"{tag}_score"]),
            helper.make_node("Mul", [f"{tag}_mean", "zero"], [f"{tag}_nil"]),
            helper.make_node("Add", [f"{tag}_nil", "one"], [f"{tag}_ones"]),
        ]
        _per_anchor(nodes, f"{tag}_score", "one_score", 1, SCRFD_OUTPUTS[level], f"{tag}_sc")
        _per_anchor(nodes, f"{tag}_ones", "box", 4, SCRFD_OUTPUTS[3 + level], f"{tag}_bb")
        _per_anchor(nodes, f"{tag}_ones", "landmarks", 10, SCRFD_OUTPUTS[6 + level], f"{tag}_kp")
    widths = [1, 1, 1, 4, 4, 4, 10, 10, 10]
    graph = helper.make_graph(
        nodes,
        "scrfd_tiny",
        [helper.make_tensor_value_info("input.1", TensorProto.FLOAT, [1, 3, "?", "?"])],
        [
            helper.make_tensor_value_info(n, TensorProto.FLOAT, [f"n{i}", w])
            for i, (n, w) in enumerate(zip(SCRFD_OUTPUTS, widths, strict=True))
        ],
        initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])


def arcface(rng: np.random.Generator) -> onnx.ModelProto:
    """112 px face -> 512-d identity: pooled to 8x8, one random projection (w600k_r50.onnx's names and shapes)."""
    graph = helper.make_graph(
        [
            helper.make_node(
                "AveragePool", ["input.1"], ["pooled"], name="pool", kernel_shape=[14, 14], strides=[14, 14]
            ),
            helper.make_node("Flatten", ["pooled"], ["flat"], name="flatten"),
            helper.make_node("MatMul", ["flat", "fc_weight"], ["683"], name="fc"),
        ],
        "arcface_tiny",
        [helper.make_tensor_value_info("input.1", TensorProto.FLOAT, ["None", 3, 112, 112])],
        [helper.make_tensor_value_info("683", TensorProto.FLOAT, [1, 512])],
        [numpy_helper.from_array(rng.standard_normal((192, 512)).astype(np.float32), "fc_weight")],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])


def inswapper(rng: np.random.Generator) -> onnx.ModelProto:
    """(aligned target face, identity latent) -> a 128 px face in [0, 1]: a 1x1 conv of the target plus a colour
    the identity decides (inswapper_128.onnx's names and shapes; the identity map `emap` is the last initializer)."""
    initializers = [
        numpy_helper.from_array((np.eye(3) * 2.0).reshape(3, 3, 1, 1).astype(np.float32), "conv_weight"),
        numpy_helper.from_array(np.full(3, -1.0, np.float32), "conv_bias"),
        numpy_helper.from_array(rng.standard_normal((512, 3)).astype(np.float32), "identity_weight"),
        _const("identity_shape", [1, 3, 1, 1], np.int64),
        numpy_helper.from_array(rng.standard_normal((512, 512)).astype(np.float32) / 512**0.5, "emap"),
    ]
    graph = helper.make_graph(
        [
            helper.make_node("Conv", ["target", "conv_weight", "conv_bias"], ["face"]),
            helper.make_node("MatMul", ["source", "identity_weight"], ["colour"]),
            helper.make_node("Reshape", ["colour", "identity_shape"], ["colour4"]),
            helper.make_node("Add", ["face", "colour4"], ["mixed"]),
            helper.make_node("Sigmoid", ["mixed"], ["output"]),
        ],
        "inswapper_tiny",
        [
            helper.make_tensor_value_info("target", TensorProto.FLOAT, [1, 3, 128, 128]),
            helper.make_tensor_value_info("source", TensorProto.FLOAT, [1, 512]),
        ],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 3, 128, 128])],
        initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])


def face_models(dest: Path) -> None:
    dest.mkdir(parents=True)
    rng = np.random.default_rng(0)
    onnx.save(scrfd(), dest / "det_10g.onnx")
    onnx.save(arcface(rng), dest / "w600k_r50.onnx")


def swapper(dest: Path) -> None:
    dest.mkdir(parents=True)
    onnx.save(inswapper(np.random.default_rng(1)), dest / "inswapper_128.onnx")


def sfw_classifier(dest: Path, nsfw_wins: bool) -> None:
    labels = {0: "normal", 1: "nsfw"}
    config = ViTConfig(
        image_size=32,
        patch_size=8,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=37,
        num_labels=2,
        id2label=labels,
        label2id={v: k for k, v in labels.items()},
    )
    model = ViTForImageClassification(config)
    with torch.no_grad():  # the head's bias alone decides, whatever the image
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([-4.0, 4.0] if nsfw_wins else [4.0, -4.0]))
    model.save_pretrained(dest)
    ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(dest)


def face_restorer(dest: Path) -> None:
    """GFPGAN at its real size (spandrel builds only that: 512 px, channel multiplier 2) with random weights, stored
    in half precision as the network file `GFPGANv1.4.pth` (spandrel loads it into its fp32 model)."""
    import spandrel_job  # noqa: F401  (lets spandrel import beside the CPU torch build, as the pipeline does)
    from spandrel.architectures.GFPGAN import GFPGAN

    model = GFPGAN(out_size=512, num_style_feat=512, channel_multiplier=2, decoder_load_path=None, fix_decoder=False,
                   num_mlp=8, input_is_latent=True, different_w=True, narrow=1, sft_half=True)  # fmt: skip
    dest.mkdir(parents=True)
    torch.save({name: value.half() for name, value in model.state_dict().items()}, dest / "GFPGANv1.4.pth")


BUILDERS = {
    "insightface-buffalo-l": face_models,
    "inswapper-128": swapper,
    "nsfw-image-detection": lambda dest: sfw_classifier(dest, nsfw_wins=False),
    "nsfw-image-detection-forced": lambda dest: sfw_classifier(dest, nsfw_wins=True),
    "face-restore-networks": face_restorer,
}


def main(kind: str, dest: str) -> None:
    if kind not in BUILDERS:
        raise SystemExit(f"unknown tiny face model {kind!r}; known: {', '.join(BUILDERS)}")
    torch.manual_seed(0)
    BUILDERS[kind](Path(dest))


if __name__ == "__main__":
    main(*sys.argv[1:])
