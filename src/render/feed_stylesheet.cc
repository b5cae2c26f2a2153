#include "render/feed_stylesheet.h"

namespace newsdesk::render {

std::string_view feed_stylesheet() {
  // XSLT 1.0, which every browser runs. Matches RSS 2.0 and Atom 1.0; links
  // only to what the feed itself names. Item HTML is not rendered (it would
  // need disable-output-escaping, which Firefox ignores): titles and
  // summaries suffice for a preview.
  return R"xsl(<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="/rss/channel/title | /atom:feed/atom:title"/> (feed)</title>
        <style>body{max-width:44rem;margin:0 auto;padding:1rem;font:1.05rem/1.6 system-ui,sans-serif}
.note{padding:.75rem 1rem;border:1px solid #888;border-radius:.5rem}
article{border-top:1px solid #ccc}</style>
      </head>
      <body>
        <main>
          <p class="note">This is a web feed. Copy its address into a feed reader to follow
            the news; new items then reach you on their own.</p>
          <h1><xsl:value-of select="/rss/channel/title | /atom:feed/atom:title"/></h1>
          <p><xsl:value-of select="/rss/channel/description | /atom:feed/atom:subtitle"/></p>
          <xsl:for-each select="/rss/channel/item">
            <article>
              <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
              <p><xsl:value-of select="pubDate"/></p>
              <p><xsl:value-of select="description"/></p>
            </article>
          </xsl:for-each>
          <xsl:for-each select="/atom:feed/atom:entry">
            <article>
              <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
              <p><xsl:value-of select="atom:published"/></p>
              <p><xsl:value-of select="atom:summary"/></p>
            </article>
          </xsl:for-each>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
)xsl";
}

}  // namespace newsdesk::render
