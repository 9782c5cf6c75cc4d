-- migrate:up
-- CreateTable
CREATE TABLE "SignInPlace" (
    "userId" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "userAgent" TEXT NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignInPlace_pkey" PRIMARY KEY ("userId","ip","userAgent")
);

-- AddForeignKey
ALTER TABLE "SignInPlace" ADD CONSTRAINT "SignInPlace_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- migrate:down
