package io.llmanalytics.validation;

/** One Python module the validator's GraalPy context imports by {@code name}, read from the class path. */
public record PythonModule(String name, String path, String source) {}
