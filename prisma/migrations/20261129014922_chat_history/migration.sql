-- AlterTable
ALTER TABLE "Chat" ADD COLUMN     "pinnedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ChatShare" (
    "id" UUID NOT NULL,
    "chatId" UUID NOT NULL,
    "token" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ChatShare_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChatShare_token_key" ON "ChatShare"("token");

-- CreateIndex
CREATE INDEX "ChatShare_chatId_idx" ON "ChatShare"("chatId");

-- AddForeignKey
ALTER TABLE "ChatShare" ADD CONSTRAINT "ChatShare_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "Chat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Full-text search over chat titles and the text parts of messages (GET /api/chats/search).
-- Expression indexes, which prisma/schema.prisma cannot declare; lib/db/chat-search.ts queries
-- exactly these expressions, so PostgreSQL (and PGlite) can use them.
CREATE INDEX "Chat_title_search_idx" ON "Chat" USING GIN (to_tsvector('simple'::regconfig, "title"));
CREATE INDEX "Message_text_search_idx" ON "Message" USING GIN (
  to_tsvector('simple'::regconfig, jsonb_path_query_array("parts", '$[*] ? (@.type == "text").text'))
);
