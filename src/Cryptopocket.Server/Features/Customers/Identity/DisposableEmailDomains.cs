using System;
using System.Collections.Frozen;

namespace Cryptopocket.Server.Features.Customers.Identity;

/// <summary>Detects e-mail addresses hosted by well-known disposable / temporary inbox providers.</summary>
public static class DisposableEmailDomains
{
    // Throw-away inbox services, cross-checked against the community blocklist at
    // github.com/disposable-email-domains/disposable-email-domains. Forwarding/alias services that people use as
    // their permanent address (Firefox Relay, SimpleLogin, spamgourmet, 33mail...) are deliberately not listed.
    private static readonly FrozenSet<string> Domains = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "0-mail.com",
        "10mail.org",
        "10minutemail.co.uk",
        "10minutemail.com",
        "10minutemail.net",
        "1secmail.com",
        "1secmail.net",
        "1secmail.org",
        "20minutemail.com",
        "anonbox.net",
        "armyspy.com",
        "binkmail.com",
        "bobmail.info",
        "byom.de",
        "chammy.info",
        "cuvox.de",
        "dayrep.com",
        "deadaddress.com",
        "discard.email",
        "discardmail.com",
        "discardmail.de",
        "dispostable.com",
        "dropmail.me",
        "einrot.com",
        "emailfake.com",
        "emailondeck.com",
        "emailtemporanea.com",
        "emltmp.com",
        "fakeinbox.com",
        "fakemailgenerator.com",
        "fleckens.hu",
        "getairmail.com",
        "getnada.com",
        "grr.la",
        "guerrillamail.biz",
        "guerrillamail.com",
        "guerrillamail.de",
        "guerrillamail.info",
        "guerrillamail.net",
        "guerrillamail.org",
        "guerrillamailblock.com",
        "gustr.com",
        "harakirimail.com",
        "inboxkitten.com",
        "incognitomail.org",
        "jetable.org",
        "jourrapide.com",
        "linshiyouxiang.net",
        "mail-temporaire.fr",
        "mailcatch.com",
        "maildrop.cc",
        "mailexpire.com",
        "mailforspam.com",
        "mailin8r.com",
        "mailinater.com",
        "mailinator.com",
        "mailinator.net",
        "mailinator2.com",
        "mailmetrash.com",
        "mailnator.com",
        "mailnesia.com",
        "mailnull.com",
        "mailpoof.com",
        "mailsac.com",
        "mailtemp.info",
        "mintemail.com",
        "moakt.com",
        "mohmal.com",
        "mt2015.com",
        "mvrht.com",
        "mytemp.email",
        "mytempemail.com",
        "mytrashmail.com",
        "nada.email",
        "notmailinator.com",
        "pokemail.net",
        "rhyta.com",
        "safetymail.info",
        "sharklasers.com",
        "sogetthis.com",
        "spam4.me",
        "spambog.com",
        "spambog.de",
        "spambooger.com",
        "spambox.us",
        "spamdecoy.net",
        "spamfree24.org",
        "spamherelots.com",
        "spamhereplease.com",
        "streetwisemail.com",
        "superrito.com",
        "suremail.info",
        "teleworm.us",
        "temp-mail.org",
        "tempail.com",
        "tempinbox.com",
        "tempmailo.com",
        "tempomail.fr",
        "temporaryinbox.com",
        "tempr.email",
        "thisisnotmyrealemail.com",
        "throwam.com",
        "throwawaymail.com",
        "tmail.ws",
        "tmpbox.net",
        "tmpmail.net",
        "tmpmail.org",
        "tradermail.info",
        "trash-mail.com",
        "trashmail.com",
        "trashmail.de",
        "trashmail.io",
        "trashmail.me",
        "trashmail.net",
        "trashymail.com",
        "trbvm.com",
        "veryrealemail.com",
        "wegwerfemail.de",
        "wegwerfmail.de",
        "wegwerfmail.net",
        "yomail.info",
        "yopmail.com",
        "yopmail.fr",
        "yopmail.net",
        "zippymail.info");

    // Span lookups let the parent-domain walk below run without allocating a substring per label.
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> DomainLookup =
        Domains.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// True when the domain of <paramref name="email"/>, or any of its parent domains (so that
    /// "x@inbox.mailinator.com" is caught), is a known disposable provider. Case-insensitive; a trailing
    /// root dot is ignored. Input without an '@' is not an address and returns false.
    /// </summary>
    public static bool IsDisposable(string email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }

        // The last '@' separates the domain: quoted local parts may legally contain '@' themselves (RFC 5321).
        var at = email.LastIndexOf('@');
        if (at < 0)
        {
            return false;
        }

        var domain = email.AsSpan(at + 1).Trim().TrimEnd('.');
        while (!domain.IsEmpty)
        {
            if (DomainLookup.Contains(domain))
            {
                return true;
            }

            var dot = domain.IndexOf('.');
            if (dot < 0)
            {
                return false;
            }

            domain = domain[(dot + 1)..];
        }

        return false;
    }
}
