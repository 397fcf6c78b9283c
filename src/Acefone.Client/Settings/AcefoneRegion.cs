using System;

namespace Acefone.Client
{
    /// <summary>The Acefone platform regions and white-label twins that publish the same API.</summary>
    public enum AcefoneRegion
    {
        India,
        UK,
        UKLegacy,
        Smartflo,
        Servetel,
    }
}
