# The studio server and worker image (the same image runs `studio up` or `studio worker`).
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends git git-lfs ffmpeg docker.io \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir -r requirements.lock
COPY schemas schemas
COPY server server
COPY function_runner function_runner
COPY workspace_template workspace_template
COPY library library
COPY pipeline_images pipeline_images
RUN pip install --no-cache-dir --no-deps . \
 && useradd --create-home --uid 10001 studio \
 && mkdir /workspace && chown studio /workspace
USER studio
EXPOSE 8000
CMD ["studio", "up", "--host", "0.0.0.0", "--port", "8000"]
