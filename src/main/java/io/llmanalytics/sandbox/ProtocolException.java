package io.llmanalytics.sandbox;

import java.io.IOException;

/** A stream of frames that cannot be decoded any more: the worker is out of step and must be restarted. */
class ProtocolException extends IOException {

    ProtocolException(String message) {
        super(message);
    }
}
