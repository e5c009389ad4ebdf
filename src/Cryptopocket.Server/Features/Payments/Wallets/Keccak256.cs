using System.Buffers.Binary;
using System.Numerics;

namespace Cryptopocket.Server.Features.Payments.Wallets;

/// <summary>
/// Keccak-256 exactly as Ethereum uses it: the Keccak[c=512] sponge over Keccak-f[1600] with the original
/// pad10*1 padding (first pad byte 0x01). Ethereum froze on the Keccak submission before NIST standardised it, so
/// this is deliberately not FIPS 202 SHA3-256, whose extra domain bits make the first pad byte 0x06; .NET's
/// <c>SHA3_256</c> therefore gives different digests and cannot be used for addresses, selectors or EIP-55.
/// </summary>
public static class Keccak256
{
    public const int HashSizeInBytes = 32;

    // Rate r = 1600 - c with capacity c = 2 * 256 (Keccak reference, "Keccak-256"): 1088 bits = 136 bytes = 17 lanes.
    private const int RateInBytes = 136;
    private const int RateInLanes = RateInBytes / sizeof(ulong);
    private const int Rounds = 24;

    // FIPS 202 §3.2.5 (iota): RC[ir] derived from the rc(t) LFSR of Algorithm 5. The test project derives them
    // again from the LFSR itself rather than copying this table. An array rather than a ReadOnlySpan<ulong>
    // property: in unoptimised (Debug) code RuntimeHelpers.CreateSpan is not intrinsified and allocates per call.
    private static readonly ulong[] RoundConstants =
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808AUL, 0x8000000080008000UL,
        0x000000000000808BUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008AUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000AUL,
        0x000000008000808BUL, 0x800000000000008BUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800AUL, 0x800000008000000AUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    // rho and pi fused (FIPS 202 §3.2.2–3.2.3): walking the pi cycle that starts at lane (1,0), the t-th lane
    // visited is rotated by (t+1)(t+2)/2 mod 64 and moved to the next lane of the cycle. Lane index = x + 5y.
    private static ReadOnlySpan<byte> RhoOffsets =>
    [
        1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44,
    ];

    private static ReadOnlySpan<byte> PiLanes =>
    [
        10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
    ];

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new byte[HashSizeInBytes];
        Hash(data, digest);
        return digest;
    }

    /// <summary>Writes the 32-byte digest to the start of <paramref name="destination32"/> without allocating.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination32"/> is shorter than 32 bytes.</exception>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination32)
    {
        if (destination32.Length < HashSizeInBytes)
        {
            throw new ArgumentException($"The destination must hold at least {HashSizeInBytes} bytes.", nameof(destination32));
        }

        // The sponge starts from the all-zero state (FIPS 202 Algorithm 8, step 5).
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();

        while (data.Length >= RateInBytes)
        {
            AbsorbBlock(state, data[..RateInBytes]);
            data = data[RateInBytes..];
        }

        // pad10*1 on a byte-aligned message (Keccak reference §"Padding", bits read LSB first): a 1 bit right after
        // the message (0x01), zeros, and a 1 bit in the last bit of the block (0x80). When only one byte is left
        // (a 135-byte tail) both land in the same byte, 0x81; a message that fills the block exactly (136, 272, …)
        // gets a whole padding block of its own, which the loop above leaves for this step.
        Span<byte> last = stackalloc byte[RateInBytes];
        last.Clear();
        data.CopyTo(last);
        last[data.Length] ^= 0x01;
        last[RateInBytes - 1] ^= 0x80;
        AbsorbBlock(state, last);

        // Squeezing: 256 bits are less than one rate block, so the first four lanes are the whole digest.
        for (var i = 0; i < HashSizeInBytes / sizeof(ulong); i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination32.Slice(i * sizeof(ulong), sizeof(ulong)), state[i]);
        }
    }

    private static void AbsorbBlock(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        // Lanes are little-endian 64-bit words (FIPS 202 §3.1.2 and Appendix B.1), whatever the host's byte order.
        for (var i = 0; i < RateInLanes; i++)
        {
            state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block.Slice(i * sizeof(ulong), sizeof(ulong)));
        }

        Permute(state);
    }

    // Keccak-f[1600] = Keccak-p[1600, 24] (FIPS 202 §3.3–3.4): 24 rounds of theta, rho, pi, chi, iota.
    private static void Permute(Span<ulong> state)
    {
        Span<ulong> column = stackalloc ulong[5];

        for (var round = 0; round < Rounds; round++)
        {
            // theta (§3.2.1): each bit absorbs the parity of two neighbouring columns.
            for (var x = 0; x < 5; x++)
            {
                column[x] = state[x] ^ state[x + 5] ^ state[x + 10] ^ state[x + 15] ^ state[x + 20];
            }

            for (var x = 0; x < 5; x++)
            {
                var d = column[(x + 4) % 5] ^ BitOperations.RotateLeft(column[(x + 1) % 5], 1);
                for (var y = 0; y < 25; y += 5)
                {
                    state[y + x] ^= d;
                }
            }

            // rho + pi (§3.2.2–3.2.3); lane (0,0) is a fixed point of both and is not visited.
            var carried = state[1];
            for (var t = 0; t < 24; t++)
            {
                int target = PiLanes[t];
                var displaced = state[target];
                state[target] = BitOperations.RotateLeft(carried, RhoOffsets[t]);
                carried = displaced;
            }

            // chi (§3.2.4): the only non-linear step, row by row.
            for (var y = 0; y < 25; y += 5)
            {
                for (var x = 0; x < 5; x++)
                {
                    column[x] = state[y + x];
                }

                for (var x = 0; x < 5; x++)
                {
                    state[y + x] = column[x] ^ (~column[(x + 1) % 5] & column[(x + 2) % 5]);
                }
            }

            // iota (§3.2.5): breaks the symmetry between rounds.
            state[0] ^= RoundConstants[round];
        }
    }
}
