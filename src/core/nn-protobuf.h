/* nn-protobuf.h: the few Protocol Buffers encodings the ONNX writer needs.
 *
 * A message is a sequence of fields, each a key (field number << 3 | wire type) as a
 * varint followed by its value: a varint (wire type 0), eight bytes (1), a varint length
 * and that many bytes (2: strings, bytes, embedded messages, packed arrays) or four bytes
 * (5: float). Messages are built bottom-up in GByteArrays: an embedded message is encoded
 * first, then appended to its parent as a length-delimited field.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  NN_PROTOBUF_VARINT  = 0,
  NN_PROTOBUF_FIXED64 = 1,
  NN_PROTOBUF_LENGTH  = 2,
  NN_PROTOBUF_FIXED32 = 5,
} NnProtobufWireType;

void nn_protobuf_put_varint        (GByteArray *out, guint64 value);
void nn_protobuf_put_key           (GByteArray *out, guint field, NnProtobufWireType type);

/* uint64, uint32, bool and enum fields, and int32/int64 fields holding values >= 0. */
void nn_protobuf_put_uint_field    (GByteArray *out, guint field, guint64 value);
/* int32 and int64 fields: negative values take ten bytes (two's complement, 64 bits). */
void nn_protobuf_put_int_field     (GByteArray *out, guint field, gint64 value);
void nn_protobuf_put_float_field   (GByteArray *out, guint field, float value);
void nn_protobuf_put_bytes_field   (GByteArray *out, guint field, const void *data,
                                    gsize length);
void nn_protobuf_put_string_field  (GByteArray *out, guint field, const char *value);
void nn_protobuf_put_message_field (GByteArray *out, guint field, const GByteArray *message);

G_END_DECLS
