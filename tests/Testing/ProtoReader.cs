namespace ChatPlatform.Testing;

/// <summary>
/// Reads protobuf's wire format field by field: enough to pick names and ids out of OTLP
/// exports without generated code.
/// </summary>
public ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public int Field { get; private set; }

    public int WireType { get; private set; }

    public bool Next()
    {
        if (_position >= _data.Length)
        {
            return false;
        }

        var key = ReadVarint();
        Field = (int)(key >> 3);
        WireType = (int)(key & 7);
        return true;
    }

    /// <summary>The current field's bytes (length-delimited fields: strings, bytes, messages).</summary>
    public ReadOnlySpan<byte> Bytes()
    {
        var length = (int)ReadVarint();
        var value = _data.Slice(_position, length);
        _position += length;
        return value;
    }

    public string String() => System.Text.Encoding.UTF8.GetString(Bytes());

    /// <summary>The current field's value, for varint fields.</summary>
    public ulong Varint() => ReadVarint();

    public void Skip()
    {
        switch (WireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                _position += 8;
                break;
            case 2:
                // Not `_position += ReadVarint()`: that would read _position before the varint moves it.
                var length = (int)ReadVarint();
                _position += length;
                break;
            case 5:
                _position += 4;
                break;
            default:
                throw new FormatException($"Unsupported protobuf wire type {WireType}.");
        }
    }

    private ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new FormatException("Malformed protobuf varint.");
    }
}
