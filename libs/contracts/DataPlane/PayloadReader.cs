using System.Buffers.Binary;
using System.Text;

namespace ChatPlatform.Contracts.DataPlane;

/// <summary>Reads what <see cref="PayloadWriter"/> wrote; any inconsistency is a <see cref="FormatException"/>.</summary>
internal struct PayloadReader(ReadOnlyMemory<byte> payload)
{
    private readonly ReadOnlyMemory<byte> _payload = payload;
    private int _position;

    public readonly bool AtEnd => _position == _payload.Length;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _payload.Length - _position;

    public byte ReadByte()
    {
        Ensure(1);
        return _payload.Span[_position++];
    }

    public uint ReadVarint()
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = ReadByte();

            // The fifth byte carries only the top 4 bits of a 32-bit value.
            if (shift == 28 && b > 0x0F)
            {
                throw new FormatException("Malformed length in data-plane payload.");
            }

            result |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new FormatException("Malformed length in data-plane payload.");
    }

    public ulong ReadVarint64()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();

            // The tenth byte carries only the top bit of a 64-bit value.
            if (shift == 63 && b > 0x01)
            {
                throw new FormatException("Malformed number in data-plane payload.");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new FormatException("Malformed number in data-plane payload.");
    }

    public long ReadInt64()
    {
        Ensure(sizeof(long));
        var value = BinaryPrimitives.ReadInt64LittleEndian(_payload.Span[_position..]);
        _position += sizeof(long);
        return value;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadSpan(ReadLength()));

    public string? ReadNullableString()
    {
        var length = ReadLength();
        return length == 0 ? null : Encoding.UTF8.GetString(ReadSpan(length - 1));
    }

    public ReadOnlyMemory<byte> ReadBytes()
    {
        var length = ReadLength();
        Ensure(length);
        var slice = _payload.Slice(_position, length);
        _position += length;
        return slice;
    }

    private int ReadLength()
    {
        var length = ReadVarint();
        if (length > int.MaxValue)
        {
            throw new FormatException("Malformed length in data-plane payload.");
        }

        return (int)length;
    }

    private ReadOnlySpan<byte> ReadSpan(int length)
    {
        Ensure(length);
        var span = _payload.Span.Slice(_position, length);
        _position += length;
        return span;
    }

    private readonly void Ensure(int length)
    {
        if (length < 0 || _payload.Length - _position < length)
        {
            throw new FormatException("Truncated data-plane payload.");
        }
    }
}
