using System.Buffers.Binary;
using System.Text;

namespace ChatPlatform.Contracts.DataPlane;

/// <summary>
/// Writes the compact binary layout of data-plane payloads: lengths as unsigned LEB128 varints,
/// strings as UTF-8, integers little-endian. A payload is written twice with the same code: first
/// by a <see cref="Measuring"/> writer, which only counts, then into a buffer of exactly that
/// size, so each payload is one exact allocation.
/// </summary>
internal ref struct PayloadWriter
{
    private readonly Span<byte> _buffer;
    private readonly bool _measuring;
    private int _position;

    public PayloadWriter(Span<byte> buffer) => _buffer = buffer;

    private PayloadWriter(bool measuring) => _measuring = measuring;

    /// <summary>The bytes written so far: a measuring writer's size of the payload.</summary>
    public readonly int Position => _position;

    /// <summary>A writer that writes nothing and counts the bytes it would have written.</summary>
    public static PayloadWriter Measuring() => new(measuring: true);

    public void WriteByte(byte value)
    {
        if (!_measuring)
        {
            _buffer[_position] = value;
        }

        _position++;
    }

    public void WriteVarint(uint value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        WriteByte((byte)value);
    }

    public void WriteVarint64(ulong value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        WriteByte((byte)value);
    }

    public void WriteInt64(long value)
    {
        if (!_measuring)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_buffer[_position..], value);
        }

        _position += sizeof(long);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)length);
        WriteUtf8(value, length);
    }

    /// <summary>A nullable string is stored as length + 1, so 0 means null.</summary>
    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteVarint(0);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)length + 1);
        WriteUtf8(value, length);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarint((uint)value.Length);
        if (!_measuring)
        {
            value.CopyTo(_buffer[_position..]);
        }

        _position += value.Length;
    }

    private void WriteUtf8(string value, int length)
    {
        if (!_measuring)
        {
            Encoding.UTF8.GetBytes(value, _buffer[_position..]);
        }

        _position += length;
    }
}
