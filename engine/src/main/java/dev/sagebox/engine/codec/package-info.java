/** Request decoders and response encoders keyed by media type, and content negotiation. */
package dev.sagebox.engine.codec;
