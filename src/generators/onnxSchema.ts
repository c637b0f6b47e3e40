/**
 * The subset of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto, proto2 syntax)
 * that the generator models use, as a protobufjs JSON descriptor (Root.fromJSON; no .proto parser
 * needs to ship to the browser). Message names, field names and field NUMBERS are onnx.proto's;
 * fields this project never writes or reads are left out, which protobuf allows: a decoder skips
 * unknown fields, so models written by other tools (with more fields) still decode.
 *
 *   ModelProto          ir_version = 1, producer_name = 2, producer_version = 3, domain = 4,
 *                       model_version = 5, doc_string = 6, graph = 7, opset_import = 8,
 *                       metadata_props = 14
 *   OperatorSetIdProto  domain = 1, version = 2
 *   StringStringEntryProto key = 1, value = 2
 *   GraphProto          node = 1, name = 2, initializer = 5, doc_string = 10, input = 11,
 *                       output = 12, value_info = 13
 *   NodeProto           input = 1, output = 2, name = 3, op_type = 4, attribute = 5,
 *                       doc_string = 6, domain = 7
 *   AttributeProto      name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, doc_string = 13,
 *                       type = 20 (AttributeType: FLOAT = 1, INT = 2, STRING = 3, TENSOR = 4,
 *                       FLOATS = 6, INTS = 7)
 *   ValueInfoProto      name = 1, type = 2, doc_string = 3
 *   TypeProto           tensor_type = 1 (TypeProto.Tensor: elem_type = 1, shape = 2), denotation = 6
 *   TensorShapeProto    dim = 1 (Dimension: dim_value = 1, dim_param = 2, denotation = 3; oneof value)
 *   TensorProto         dims = 1, data_type = 2, float_data = 4 (packed), int32_data = 5,
 *                       int64_data = 7, name = 8, raw_data = 9, double_data = 10, doc_string = 12
 *                       (DataType: FLOAT = 1, INT32 = 6, INT64 = 7, DOUBLE = 11)
 * proto2 repeated scalars are unpacked on the wire by default; onnx.proto marks float_data,
 * int32_data, int64_data and double_data [packed = true], so they are packed here too (decoders
 * accept both encodings).
 */
import type { INamespace } from 'protobufjs';

export const ONNX_SCHEMA: INamespace = {
  nested: {
    onnx: {
      nested: {
        AttributeType: {
          values: { UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10 },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7, options: { packed: false } },
            ints: { rule: 'repeated', type: 'int64', id: 8, options: { packed: false } },
            doc_string: { type: 'string', id: 13 },
            type: { type: 'AttributeType', id: 20 },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
            doc_string: { type: 'string', id: 3 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            op_type: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            doc_string: { type: 'string', id: 6 },
            domain: { type: 'string', id: 7 },
          },
        },
        StringStringEntryProto: {
          fields: {
            key: { type: 'string', id: 1 },
            value: { type: 'string', id: 2 },
          },
        },
        OperatorSetIdProto: {
          fields: {
            domain: { type: 'string', id: 1 },
            version: { type: 'int64', id: 2 },
          },
        },
        ModelProto: {
          fields: {
            ir_version: { type: 'int64', id: 1 },
            producer_name: { type: 'string', id: 2 },
            producer_version: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            model_version: { type: 'int64', id: 5 },
            doc_string: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opset_import: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadata_props: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            doc_string: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            value_info: { rule: 'repeated', type: 'ValueInfoProto', id: 13 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1, options: { packed: false } },
            data_type: { type: 'int32', id: 2 },
            float_data: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
            int32_data: { rule: 'repeated', type: 'int32', id: 5, options: { packed: true } },
            int64_data: { rule: 'repeated', type: 'int64', id: 7, options: { packed: true } },
            name: { type: 'string', id: 8 },
            raw_data: { type: 'bytes', id: 9 },
            double_data: { rule: 'repeated', type: 'double', id: 10, options: { packed: true } },
            doc_string: { type: 'string', id: 12 },
          },
        },
        TensorShapeProto: {
          fields: {
            dim: { rule: 'repeated', type: 'Dimension', id: 1 },
          },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: {
                dim_value: { type: 'int64', id: 1 },
                dim_param: { type: 'string', id: 2 },
                denotation: { type: 'string', id: 3 },
              },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type'] } },
          fields: {
            tensor_type: { type: 'Tensor', id: 1 },
            denotation: { type: 'string', id: 6 },
          },
          nested: {
            Tensor: {
              fields: {
                elem_type: { type: 'int32', id: 1 },
                shape: { type: 'TensorShapeProto', id: 2 },
              },
            },
          },
        },
      },
    },
  },
};

/** onnx TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, DOUBLE: 11 } as const;
/** onnx AttributeProto.AttributeType values used here. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;
