using System.Buffers.Binary;
using System.Text;

namespace ChatPlatform.Contracts.DataPlane;

/// <summary>
/// Writes the compact binary layout of data-plane payloads: lengths as unsigned LEB128 varints,
/// strings as UTF-8, integers little-endian. Callers size the buffer first with the matching
/// <c>SizeOf</c> methods so each payload is one exact allocation.
/// </summary>
internal ref struct PayloadWriter(Span<byte> buffer)
{
    private readonly Span<byte> _buffer = buffer;
    private int _position;

    public readonly int Position => _position;

    public static int SizeOfVarint(uint value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    public static int SizeOf(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        return SizeOfVarint((uint)length) + length;
    }

    /// <summary>A nullable string is stored as length + 1, so 0 means null.</summary>
    public static int SizeOfNullable(string? value)
    {
        if (value is null)
        {
            return 1;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        return SizeOfVarint((uint)length + 1) + length;
    }

    public static int SizeOf(ReadOnlySpan<byte> value) => SizeOfVarint((uint)value.Length) + value.Length;

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteVarint(uint value)
    {
        while (value >= 0x80)
        {
            _buffer[_position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_position++] = (byte)value;
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer[_position..], value);
        _position += sizeof(long);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)length);
        _position += Encoding.UTF8.GetBytes(value, _buffer[_position..]);
    }

    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteVarint(0);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)length + 1);
        _position += Encoding.UTF8.GetBytes(value, _buffer[_position..]);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarint((uint)value.Length);
        value.CopyTo(_buffer[_position..]);
        _position += value.Length;
    }
}
