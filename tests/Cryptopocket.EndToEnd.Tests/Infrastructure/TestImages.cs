using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

/// <summary>Small but valid PNG files, written byte by byte, for the KYC uploads (the server checks magic bytes).</summary>
public static class TestImages
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>A <paramref name="width"/>×<paramref name="height"/> 8-bit RGB PNG: a diagonal gradient tinted with the colour given.</summary>
    public static byte[] Png(byte red, byte green, byte blue, int width = 48, int height = 32)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: truecolour
        // compression 0, filter 0, interlace 0
        WriteChunk(png, "IHDR", header);

        var scanlines = new byte[height * (1 + 3 * width)];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + 3 * width);
            scanlines[row] = 0; // filter: none
            for (var x = 0; x < width; x++)
            {
                var shade = (byte)((x + y) * 255 / (width + height));
                scanlines[row + 1 + 3 * x] = (byte)((red + shade) / 2);
                scanlines[row + 2 + 3 * x] = (byte)((green + shade) / 2);
                scanlines[row + 3 + 3 * x] = (byte)((blue + shade) / 2);
            }
        }
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(scanlines);
            }
            WriteChunk(png, "IDAT", compressed.ToArray());
        }
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        var typeAndData = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData, 4);
        output.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndData));
        output.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
