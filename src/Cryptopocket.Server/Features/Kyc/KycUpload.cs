namespace Cryptopocket.Server.Features.Kyc;

/// <summary>What the hosted form accepts for each file: checked by content, not by the name or the declared type.</summary>
public static class KycUpload
{
    public const string DocumentFront = "document_front";
    public const string DocumentBack = "document_back";
    public const string Selfie = "selfie";

    public static readonly IReadOnlyList<string> Kinds = [DocumentFront, DocumentBack, Selfie];

    public static string? SniffContentType(ReadOnlySpan<byte> content, string kind)
    {
        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }
        if (content.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }
        // A scanned document may be a PDF; a selfie may not.
        if (kind != Selfie && content.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }
        return null;
    }
}
