"""Reading files into models: the strict YAML reader, the services and rates files, the rate
layers, the shipped price tables and a user's index, where files live, and the online refresh.

The only layer that touches the file system for input; the engine is handed what it reads.
"""
