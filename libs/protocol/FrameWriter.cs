using System.Buffers;
using System.Text.Json;

namespace ChatPlatform.Protocol;

/// <summary>
/// Writes frames of wire protocol version 1: a JSON object that starts with its <c>type</c>,
/// built once into an array of its own that can then go to any number of sockets. The gateway
/// writes its frames with it and the client library its own, so both spell <c>type</c>,
/// <c>id</c> and <c>to</c> alike. The writer and its buffer are reused per thread: a frame is
/// written from <see cref="Begin"/> to <see cref="End"/> without awaiting in between.
/// </summary>
public static class FrameWriter
{
    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>Starts a frame of <paramref name="type"/> (one of <see cref="FrameTypes"/>): <c>{"type":…</c>.</summary>
    /// <returns>This thread's writer, usable until <see cref="End"/>.</returns>
    public static Utf8JsonWriter Begin(string type)
    {
        var scratch = t_scratch ??= new Scratch();
        scratch.Buffer.ResetWrittenCount();
        scratch.Writer.Reset(scratch.Buffer);
        scratch.Writer.WriteStartObject();
        scratch.Writer.WriteString("type"u8, type);
        return scratch.Writer;
    }

    /// <summary>Ends the frame <see cref="Begin"/> started and returns its bytes.</summary>
    public static byte[] End(Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.Flush();
        return t_scratch!.Buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes <c>"id"</c> as raw JSON: a client's own token (a string or a number), echoed exactly
    /// as it came; <c>null</c> when the frame had none.
    /// </summary>
    public static void WriteRawId(Utf8JsonWriter writer, ReadOnlySpan<byte> id)
    {
        writer.WritePropertyName("id"u8);
        if (id.IsEmpty)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(id, skipInputValidation: true);
        }
    }

    /// <summary>
    /// Writes the <c>to</c> object: <c>{"<paramref name="field"/>":"<paramref name="value"/>"}</c>,
    /// or <c>{"everyone":true}</c>.
    /// </summary>
    /// <param name="writer">The frame's writer, from <see cref="Begin"/>.</param>
    /// <param name="field">One of <see cref="TargetFields"/>.</param>
    /// <param name="value">The user, connection or room; ignored for everyone.</param>
    public static void WriteTarget(Utf8JsonWriter writer, string field, string? value)
    {
        writer.WriteStartObject(TargetFields.To);
        if (field == TargetFields.Everyone)
        {
            writer.WriteBoolean(TargetFields.Everyone, true);
        }
        else
        {
            writer.WriteString(field, value);
        }

        writer.WriteEndObject();
    }

    private sealed class Scratch
    {
        public Scratch() => Writer = new Utf8JsonWriter(Buffer);

        public ArrayBufferWriter<byte> Buffer { get; } = new(512);

        public Utf8JsonWriter Writer { get; }
    }
}
