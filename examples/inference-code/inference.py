"""Entry script for a Neo-compiled PyTorch (>= 1.5) image classifier on a SageMaker endpoint.

Served with `neoctl deploy JOB --endpoint NAME --code examples/inference-code`: neoctl repacks
the compiled archive with this folder as code/, and the Neo inference image runs this file
(SAGEMAKER_PROGRAM=inference.py). The functions are those the SageMaker Developer Guide
("Deploy a Compiled Model: Prerequisites") asks of PyTorch and MXNet models: model_fn loads
the model, transform_fn turns a request into a response (or input_fn/predict_fn/output_fn).
The libraries are those of the Neo PyTorch inference image; nothing here runs on your machine.
"""

import io
import json
import os

import neopytorch  # the Neo runtime's hook into torch, in the Neo inference image
import torch
import torchvision.transforms as transforms
from PIL import Image

DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
PREPROCESS = transforms.Compose(
    [
        transforms.Resize(256),
        transforms.CenterCrop(224),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ]
)


def model_fn(model_dir):
    """The compiled model: Neo saves it as compiled.pt at the top of the archive."""
    neopytorch.config(model_dir=model_dir, neo_runtime=True)
    model = torch.jit.load(os.path.join(model_dir, "compiled.pt"), map_location=DEVICE).to(DEVICE)
    model(torch.zeros(1, 3, 224, 224, device=DEVICE))  # warm-up: the first call compiles kernels
    return model


def transform_fn(model, request_body, request_content_type, response_content_type):
    """An image (any format PIL reads) in, the class scores as a JSON list out."""
    image = Image.open(io.BytesIO(request_body)).convert("RGB")
    batch = PREPROCESS(image).unsqueeze(0).to(DEVICE)
    with torch.no_grad():
        scores = model(batch)
    return json.dumps(scores.cpu().numpy().tolist()), "application/json"
