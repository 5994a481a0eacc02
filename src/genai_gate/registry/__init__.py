"""Prompt registry and model registry: schemas, loaders with file:line errors, tokenizers.

A prompt registry is a folder of prompt YAML files (`prompts/<prompt_id>.yaml`); the model
registry is one YAML file listing models with their tokenizer, limits and prices.
"""
