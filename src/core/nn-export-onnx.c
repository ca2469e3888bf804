/* nn-export-onnx.c: the network as an ONNX model (IR version 7, opset 13, float32).
 *
 * The graph is the whole function the app computes, from the raw point to the output:
 *
 *   input [N,2] -> Slice -> x1, x2 -> Mul, Sin -> x1_sq, x1_x2, sin_x1… -> Concat -> features
 *   features -> hidden1/Gemm -> hidden1/u -> hidden1/Tanh -> hidden1/z -> … -> output [N,K]
 *
 * Gemm computes u = z·Wᵀ + b with W stored [out, in] (transB = 1), exactly PyTorch's
 * Linear; an identity activation adds no node. Names follow the course (u = Σ w·z + b,
 * z = F(u)) so that Netron shows a readable graph.
 *
 * Field numbers are those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto,
 * AttributeProto, TensorProto, ValueInfoProto, TypeProto, TensorShapeProto,
 * OperatorSetIdProto, StringStringEntryProto).
 */
#include "nn-export-private.h"
#include "nn-protobuf.h"

#include <string.h>

#define ONNX_IR_VERSION 7
#define ONNX_OPSET 13

/* ModelProto */
#define MODEL_IR_VERSION 1
#define MODEL_PRODUCER_NAME 2
#define MODEL_PRODUCER_VERSION 3
#define MODEL_DOC_STRING 6
#define MODEL_GRAPH 7
#define MODEL_OPSET_IMPORT 8
#define MODEL_METADATA_PROPS 14
/* OperatorSetIdProto */
#define OPSET_DOMAIN 1
#define OPSET_VERSION 2
/* StringStringEntryProto */
#define ENTRY_KEY 1
#define ENTRY_VALUE 2
/* GraphProto */
#define GRAPH_NODE 1
#define GRAPH_NAME 2
#define GRAPH_INITIALIZER 5
#define GRAPH_DOC_STRING 10
#define GRAPH_INPUT 11
#define GRAPH_OUTPUT 12
/* NodeProto */
#define NODE_INPUT 1
#define NODE_OUTPUT 2
#define NODE_NAME 3
#define NODE_OP_TYPE 4
#define NODE_ATTRIBUTE 5
/* AttributeProto */
#define ATTRIBUTE_NAME 1
#define ATTRIBUTE_F 2
#define ATTRIBUTE_I 3
#define ATTRIBUTE_TYPE 20
#define ATTRIBUTE_TYPE_FLOAT 1
#define ATTRIBUTE_TYPE_INT 2
/* TensorProto */
#define TENSOR_DIMS 1
#define TENSOR_DATA_TYPE 2
#define TENSOR_NAME 8
#define TENSOR_RAW_DATA 9
#define DATA_TYPE_FLOAT 1
#define DATA_TYPE_INT64 7
/* ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto(.Dimension) */
#define VALUE_INFO_NAME 1
#define VALUE_INFO_TYPE 2
#define TYPE_TENSOR_TYPE 1
#define TENSOR_TYPE_ELEM_TYPE 1
#define TENSOR_TYPE_SHAPE 2
#define SHAPE_DIM 1
#define DIM_VALUE 1
#define DIM_PARAM 2

typedef struct
{
  GByteArray *nodes;        /* GraphProto.node fields */
  GByteArray *initializers; /* GraphProto.initializer fields */
} Graph;

/* ------------------------------------------------------------------------------------ */
/* Nodes                                                                                */

static GByteArray *
node_new (const char *name, const char *op_type, const char *const *inputs, guint n_inputs,
          const char *output)
{
  GByteArray *node = g_byte_array_new ();

  for (guint i = 0; i < n_inputs; i++)
    nn_protobuf_put_string_field (node, NODE_INPUT, inputs[i]);
  nn_protobuf_put_string_field (node, NODE_OUTPUT, output);
  nn_protobuf_put_string_field (node, NODE_NAME, name);
  nn_protobuf_put_string_field (node, NODE_OP_TYPE, op_type);
  return node;
}

static void
node_add_int (GByteArray *node, const char *name, gint64 value)
{
  g_autoptr (GByteArray) attribute = g_byte_array_new ();

  nn_protobuf_put_string_field (attribute, ATTRIBUTE_NAME, name);
  nn_protobuf_put_int_field (attribute, ATTRIBUTE_I, value);
  nn_protobuf_put_uint_field (attribute, ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT);
  nn_protobuf_put_message_field (node, NODE_ATTRIBUTE, attribute);
}

static void
node_add_float (GByteArray *node, const char *name, float value)
{
  g_autoptr (GByteArray) attribute = g_byte_array_new ();

  nn_protobuf_put_string_field (attribute, ATTRIBUTE_NAME, name);
  nn_protobuf_put_float_field (attribute, ATTRIBUTE_F, value);
  nn_protobuf_put_uint_field (attribute, ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_FLOAT);
  nn_protobuf_put_message_field (node, NODE_ATTRIBUTE, attribute);
}

static void
graph_add_node (Graph *g, GByteArray *node)
{
  nn_protobuf_put_message_field (g->nodes, GRAPH_NODE, node);
  g_byte_array_unref (node);
}

/* ------------------------------------------------------------------------------------ */
/* Initializers                                                                         */

static void
graph_add_tensor (Graph *g, const char *name, int data_type, const gint64 *dims, guint n_dims,
                  const GByteArray *raw)
{
  g_autoptr (GByteArray) tensor = g_byte_array_new ();

  for (guint d = 0; d < n_dims; d++)
    nn_protobuf_put_int_field (tensor, TENSOR_DIMS, dims[d]);
  nn_protobuf_put_uint_field (tensor, TENSOR_DATA_TYPE, data_type);
  nn_protobuf_put_string_field (tensor, TENSOR_NAME, name);
  nn_protobuf_put_bytes_field (tensor, TENSOR_RAW_DATA, raw->data, raw->len);
  nn_protobuf_put_message_field (g->initializers, GRAPH_INITIALIZER, tensor);
}

/* raw_data is little-endian whatever the machine. */
static void
graph_add_floats (Graph *g, const char *name, const double *values, const gint64 *dims,
                  guint n_dims)
{
  g_autoptr (GByteArray) raw = g_byte_array_new ();
  gint64 count = 1;

  for (guint d = 0; d < n_dims; d++)
    count *= dims[d];
  for (gint64 i = 0; i < count; i++)
    {
      float   f = (float)values[i];
      guint32 bits;

      memcpy (&bits, &f, sizeof bits);
      bits = GUINT32_TO_LE (bits);
      g_byte_array_append (raw, (const guint8 *)&bits, sizeof bits);
    }
  graph_add_tensor (g, name, DATA_TYPE_FLOAT, dims, n_dims, raw);
}

/* A one-element int64 tensor: Slice takes its starts, ends and axes as inputs. */
static void
graph_add_int64 (Graph *g, const char *name, gint64 value)
{
  g_autoptr (GByteArray) raw = g_byte_array_new ();
  guint64      bits = GUINT64_TO_LE ((guint64)value);
  const gint64 dims[1] = { 1 };

  g_byte_array_append (raw, (const guint8 *)&bits, sizeof bits);
  graph_add_tensor (g, name, DATA_TYPE_INT64, dims, 1, raw);
}

/* ------------------------------------------------------------------------------------ */
/* The graph                                                                            */

/* One feature: how to compute it from the two columns of the input. */
static const struct
{
  NnFeature   feature;
  const char *value;   /* tensor name */
  const char *op_type; /* NULL: the column itself */
  const char *a;
  const char *b;
} feature_ops[NN_N_FEATURES] = {
  { NN_FEATURE_X1, "x1", NULL, NULL, NULL },
  { NN_FEATURE_X2, "x2", NULL, NULL, NULL },
  { NN_FEATURE_X1_SQ, "x1_sq", "Mul", "x1", "x1" },
  { NN_FEATURE_X2_SQ, "x2_sq", "Mul", "x2", "x2" },
  { NN_FEATURE_X1_X2, "x1_x2", "Mul", "x1", "x2" },
  { NN_FEATURE_SIN_X1, "sin_x1", "Sin", "x1", NULL },
  { NN_FEATURE_SIN_X2, "sin_x2", "Sin", "x2", NULL },
};

/* x = input[:, column:column+1], a [N,1] column. */
static void
add_column (Graph *g, const char *value, const char *start, const char *end)
{
  const char      *inputs[] = { "input", start, end, "features/axis" };
  g_autofree char *node = g_strconcat ("features/", value, NULL);

  graph_add_node (g, node_new (node, "Slice", inputs, G_N_ELEMENTS (inputs), value));
}

/* The features in the engine's order, Concat-ed along axis 1 into "features" [N,n]. */
static void
add_features (Graph *g, guint mask)
{
  const guint uses_x1 = NN_FEATURE_X1 | NN_FEATURE_X1_SQ | NN_FEATURE_X1_X2 | NN_FEATURE_SIN_X1;
  const guint uses_x2 = NN_FEATURE_X2 | NN_FEATURE_X2_SQ | NN_FEATURE_X1_X2 | NN_FEATURE_SIN_X2;
  const char *concat_inputs[NN_N_FEATURES];
  guint       n = 0;
  GByteArray *concat;

  graph_add_int64 (g, "features/axis", 1);
  if (mask & uses_x1)
    graph_add_int64 (g, "features/col0", 0);
  graph_add_int64 (g, "features/col1", 1);
  if (mask & uses_x2)
    graph_add_int64 (g, "features/col2", 2);
  if (mask & uses_x1)
    add_column (g, "x1", "features/col0", "features/col1");
  if (mask & uses_x2)
    add_column (g, "x2", "features/col1", "features/col2");

  for (guint i = 0; i < NN_N_FEATURES; i++)
    {
      if (!(mask & feature_ops[i].feature))
        continue;
      if (feature_ops[i].op_type != NULL)
        {
          const char      *inputs[] = { feature_ops[i].a, feature_ops[i].b };
          g_autofree char *node
              = g_strconcat ("features/", nn_feature_to_string (feature_ops[i].feature), NULL);

          graph_add_node (g, node_new (node, feature_ops[i].op_type, inputs,
                                       inputs[1] != NULL ? 2 : 1, feature_ops[i].value));
        }
      concat_inputs[n++] = feature_ops[i].value;
    }

  concat = node_new ("features/Concat", "Concat", concat_inputs, n, "features");
  node_add_int (concat, "axis", 1);
  graph_add_node (g, concat);
}

static const char *
activation_op (NnActivation a)
{
  switch (a)
    {
    case NN_ACTIVATION_RELU:
      return "Relu";
    case NN_ACTIVATION_LEAKY_RELU:
      return "LeakyRelu";
    case NN_ACTIVATION_SIGMOID:
      return "Sigmoid";
    case NN_ACTIVATION_TANH:
      return "Tanh";
    case NN_ACTIVATION_SOFTMAX:
      return "Softmax";
    case NN_ACTIVATION_IDENTITY:
    case NN_N_ACTIVATIONS:
    default:
      return NULL;
    }
}

/* Layer l: its Gemm and activation nodes and its two initializers. `in` is the tensor the
 * layer reads; returns the tensor it writes. */
static char *
add_layer (Graph *g, const NnExportModel *m, guint l, const char *in)
{
  const NnLayer   *layer = &m->layers[l];
  const char      *op = activation_op (layer->activation);
  g_autofree char *name = nn_export_layer_name (m, l);
  g_autofree char *weight = g_strdup_printf ("layers.%u.weight", l);
  g_autofree char *bias = g_strdup_printf ("layers.%u.bias", l);
  g_autofree char *gemm_name = g_strconcat (name, "/Gemm", NULL);
  g_autofree char *u = g_strconcat (name, "/u", NULL);
  char            *z = l + 1 == m->n_layers ? g_strdup ("output") : g_strconcat (name, "/z", NULL);
  const gint64     weight_dims[2] = { layer->n_out, layer->n_in };
  const gint64     bias_dims[1] = { layer->n_out };
  const char      *gemm_inputs[] = { in, weight, bias };
  GByteArray      *gemm;

  graph_add_floats (g, weight, m->params + layer->w_offset, weight_dims, 2);
  graph_add_floats (g, bias, m->params + layer->b_offset, bias_dims, 1);

  gemm = node_new (gemm_name, "Gemm", gemm_inputs, 3, op != NULL ? u : z);
  node_add_int (gemm, "transB", 1);
  graph_add_node (g, gemm);

  if (op != NULL)
    {
      g_autofree char *node_name = g_strconcat (name, "/", op, NULL);
      const char      *inputs[] = { u };
      GByteArray      *node = node_new (node_name, op, inputs, 1, z);

      if (layer->activation == NN_ACTIVATION_LEAKY_RELU)
        node_add_float (node, "alpha", (float)layer->alpha);
      else if (layer->activation == NN_ACTIVATION_SOFTMAX)
        node_add_int (node, "axis", 1);
      graph_add_node (g, node);
    }
  return z;
}

/* A float tensor [N, width] with N symbolic: the batch. */
static GByteArray *
value_info_new (const char *name, guint width)
{
  g_autoptr (GByteArray) batch = g_byte_array_new ();
  g_autoptr (GByteArray) columns = g_byte_array_new ();
  g_autoptr (GByteArray) shape = g_byte_array_new ();
  g_autoptr (GByteArray) tensor = g_byte_array_new ();
  g_autoptr (GByteArray) type = g_byte_array_new ();
  GByteArray *info = g_byte_array_new ();

  nn_protobuf_put_string_field (batch, DIM_PARAM, "N");
  nn_protobuf_put_uint_field (columns, DIM_VALUE, width);
  nn_protobuf_put_message_field (shape, SHAPE_DIM, batch);
  nn_protobuf_put_message_field (shape, SHAPE_DIM, columns);
  nn_protobuf_put_uint_field (tensor, TENSOR_TYPE_ELEM_TYPE, DATA_TYPE_FLOAT);
  nn_protobuf_put_message_field (tensor, TENSOR_TYPE_SHAPE, shape);
  nn_protobuf_put_message_field (type, TYPE_TENSOR_TYPE, tensor);
  nn_protobuf_put_string_field (info, VALUE_INFO_NAME, name);
  nn_protobuf_put_message_field (info, VALUE_INFO_TYPE, type);
  return info;
}

/* "3 -> 4 tanh -> 2 relu -> 1 sigmoid", for the documentation strings. */
static char *
describe_layers (const NnExportModel *m)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%u", m->layers[0].n_in);
  for (guint l = 0; l < m->n_layers; l++)
    g_string_append_printf (s, " -> %u %s", m->layers[l].n_out,
                            nn_activation_to_string (m->layers[l].activation));
  return g_string_free (s, FALSE);
}

static void
put_metadata (GByteArray *model, const char *key, const char *value)
{
  g_autoptr (GByteArray) entry = g_byte_array_new ();

  nn_protobuf_put_string_field (entry, ENTRY_KEY, key);
  nn_protobuf_put_string_field (entry, ENTRY_VALUE, value);
  nn_protobuf_put_message_field (model, MODEL_METADATA_PROPS, entry);
}

GBytes *
nn_export_write_onnx (const NnExportModel *m)
{
  Graph g = { g_byte_array_new (), g_byte_array_new () };
  g_autoptr (GByteArray) graph = g_byte_array_new ();
  g_autoptr (GByteArray) input = value_info_new ("input", 2);
  g_autoptr (GByteArray) output = value_info_new ("output", m->layers[m->n_layers - 1].n_out);
  g_autoptr (GByteArray) opset = g_byte_array_new ();
  g_autofree char *features = nn_export_features_list (m);
  g_autofree char *activations = nn_export_activations_list (m);
  g_autofree char *layers = describe_layers (m);
  g_autofree char *doc = NULL;
  char            *in = g_strdup ("features");
  GByteArray      *model = g_byte_array_new ();

  add_features (&g, m->features);
  for (guint l = 0; l < m->n_layers; l++)
    {
      char *out = add_layer (&g, m, l, in);

      g_free (in);
      in = out;
    }
  g_free (in);

  doc = g_strdup_printf ("A Neural Lab network. Input: points (x1, x2), one a row. Features: %s. "
                         "Layers: %s. Loss: %s.",
                         features, layers, nn_loss_to_string (m->loss));

  g_byte_array_append (graph, g.nodes->data, g.nodes->len);
  nn_protobuf_put_string_field (graph, GRAPH_NAME, "neural-lab");
  g_byte_array_append (graph, g.initializers->data, g.initializers->len);
  nn_protobuf_put_string_field (graph, GRAPH_DOC_STRING, doc);
  nn_protobuf_put_message_field (graph, GRAPH_INPUT, input);
  nn_protobuf_put_message_field (graph, GRAPH_OUTPUT, output);
  g_byte_array_unref (g.nodes);
  g_byte_array_unref (g.initializers);

  nn_protobuf_put_string_field (opset, OPSET_DOMAIN, "");
  nn_protobuf_put_uint_field (opset, OPSET_VERSION, ONNX_OPSET);

  nn_protobuf_put_uint_field (model, MODEL_IR_VERSION, ONNX_IR_VERSION);
  nn_protobuf_put_string_field (model, MODEL_PRODUCER_NAME, "Neural Lab");
#ifdef PACKAGE_VERSION
  nn_protobuf_put_string_field (model, MODEL_PRODUCER_VERSION, PACKAGE_VERSION);
#endif
  nn_protobuf_put_string_field (model, MODEL_DOC_STRING, doc);
  nn_protobuf_put_message_field (model, MODEL_GRAPH, graph);
  nn_protobuf_put_message_field (model, MODEL_OPSET_IMPORT, opset);
  put_metadata (model, "features", features);
  put_metadata (model, "activations", activations);
  put_metadata (model, "problem", nn_problem_to_string (m->problem));
  put_metadata (model, "loss", nn_loss_to_string (m->loss));

  return g_byte_array_free_to_bytes (model);
}
