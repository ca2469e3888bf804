/* nn-protobuf.c: Protocol Buffers wire format, encoding only. */
#include "nn-protobuf.h"

#include <string.h>

void
nn_protobuf_put_varint (GByteArray *out, guint64 value)
{
  guint8 buf[10];
  guint  n = 0;

  /* Seven bits a byte, least significant group first; the top bit says "more follow". */
  do
    {
      buf[n] = value & 0x7f;
      value >>= 7;
      if (value != 0)
        buf[n] |= 0x80;
      n++;
    }
  while (value != 0);
  g_byte_array_append (out, buf, n);
}

void
nn_protobuf_put_key (GByteArray *out, guint field, NnProtobufWireType type)
{
  g_return_if_fail (field >= 1 && field < (1u << 29));

  nn_protobuf_put_varint (out, (guint64)field << 3 | type);
}

void
nn_protobuf_put_uint_field (GByteArray *out, guint field, guint64 value)
{
  nn_protobuf_put_key (out, field, NN_PROTOBUF_VARINT);
  nn_protobuf_put_varint (out, value);
}

void
nn_protobuf_put_int_field (GByteArray *out, guint field, gint64 value)
{
  nn_protobuf_put_key (out, field, NN_PROTOBUF_VARINT);
  nn_protobuf_put_varint (out, (guint64)value);
}

void
nn_protobuf_put_float_field (GByteArray *out, guint field, float value)
{
  guint32 bits;

  memcpy (&bits, &value, sizeof bits);
  bits = GUINT32_TO_LE (bits);
  nn_protobuf_put_key (out, field, NN_PROTOBUF_FIXED32);
  g_byte_array_append (out, (const guint8 *)&bits, sizeof bits);
}

void
nn_protobuf_put_bytes_field (GByteArray *out, guint field, const void *data, gsize length)
{
  g_return_if_fail (data != NULL || length == 0);

  nn_protobuf_put_key (out, field, NN_PROTOBUF_LENGTH);
  nn_protobuf_put_varint (out, length);
  if (length > 0)
    g_byte_array_append (out, data, length);
}

void
nn_protobuf_put_string_field (GByteArray *out, guint field, const char *value)
{
  g_return_if_fail (value != NULL);

  nn_protobuf_put_bytes_field (out, field, value, strlen (value));
}

void
nn_protobuf_put_message_field (GByteArray *out, guint field, const GByteArray *message)
{
  g_return_if_fail (message != NULL);

  nn_protobuf_put_bytes_field (out, field, message->data, message->len);
}
