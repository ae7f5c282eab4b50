/// Builds the codec for a format, the columns it carries and whether it is the key or the value.
///
/// Errors here are the ones ksqlDB reports when a statement is prepared: a type the format cannot
/// hold, KAFKA with several columns, NONE with columns, formats not implemented yet.
public enum Codecs {
    /// The schema id written in record headers when no registered schema is given
    /// (`FormatOptions.physicalSchema`).
    public static let defaultSchemaID: UInt32 = 1

    public static func make(format: FormatKind, columns: [Column], options: FormatOptions, isKey: Bool) throws(RecordError) -> any RowCodec {
        switch format {
        case .none:
            guard columns.isEmpty else {
                throw RecordError("The 'NONE' format can only be used when no columns are defined. Got: \(columnList(columns))")
            }
            return NoneCodec()
        case .json:
            if columns.isEmpty { return NoneCodec() }
            return try JSONRowCodec(columns: columns, options: options, isKey: isKey)
        case .jsonSR:
            if columns.isEmpty { return NoneCodec() }
            return try JSONRowCodec(
                columns: columns, options: options, isKey: isKey, schemaID: options.physicalSchema?.id ?? defaultSchemaID)
        case .delimited:
            if columns.isEmpty { return NoneCodec() }
            return try DelimitedCodec(columns: columns, options: options)
        case .kafka:
            if columns.isEmpty { return NoneCodec() }
            guard columns.count == 1 else {
                throw RecordError("The 'KAFKA' format only supports a single field. Got: \(columnList(columns))")
            }
            return try KafkaCodec(column: columns[0], options: options)
        case .avro:
            if columns.isEmpty { return NoneCodec() }
            if let physical = options.physicalSchema, physical.type == .avro {
                // A registered schema: records are read and written with it.
                return try AvroRegisteredCodec(columns: columns, options: options, isKey: isKey, physical: physical)
            }
            return try AvroRowCodec(columns: columns, options: options, isKey: isKey, schemaID: defaultSchemaID)
        case .protobuf, .protobufNoSR:
            if columns.isEmpty { return NoneCodec() }
            if format == .protobuf, let physical = options.physicalSchema {
                // A registered schema: records are laid out as it says, when its message lines up
                // with the columns; otherwise as the columns derive it, with its id in the header.
                if physical.type == .protobuf, options.wrapSingleValue != false,
                    let codec = try? ProtobufRegisteredCodec(columns: columns, physical: physical)
                {
                    return codec
                }
                return try ProtobufRowCodec(
                    columns: columns, options: options, isKey: isKey, schemaRegistry: true, schemaID: physical.id,
                    nullable: .none)
            }
            return try ProtobufRowCodec(columns: columns, options: options, isKey: isKey, schemaRegistry: format == .protobuf)
        }
    }

    private static func columnList(_ columns: [Column]) -> String {
        "[" + columns.map { "`\($0.name)` \($0.type)" }.joined(separator: ", ") + "]"
    }
}
