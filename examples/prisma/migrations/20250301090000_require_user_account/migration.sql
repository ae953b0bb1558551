/*
  Generated after changing `account Account?` to `account Account` in schema.prisma.
  Prisma notes that SET NOT NULL fails if any "User" row still has a NULL "accountId".
*/
-- DropForeignKey
ALTER TABLE "User" DROP CONSTRAINT "User_accountId_fkey";

-- AlterTable
ALTER TABLE "User" ALTER COLUMN "accountId" SET NOT NULL;

-- CreateIndex
CREATE INDEX "User_accountId_idx" ON "User"("accountId");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
