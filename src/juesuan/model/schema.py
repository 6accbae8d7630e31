"""JSON Schema of the dataset file, generated from the model."""

from __future__ import annotations

import json

from juesuan.model.dataset import Dataset


def schema_json() -> str:
    schema = Dataset.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "juesuan 部门决算数据文件"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
