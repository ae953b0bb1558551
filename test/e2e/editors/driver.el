;;; driver.el --- Emacs 28 + eglot 1.9 in --batch as a real LSP client of pg-migration-guard -*- lexical-binding: t -*-
;;
;;   PGMG_LSP_CMD='["node","dist/cli.js","lsp","--stdio"]' PGMG_REPORT=report.json \
;;   [PGMG_ACTION_RULE=<rule id> PGMG_ACTION_TITLE='<code action title>'] \
;;   emacs --batch -Q -l driver.el FILE.sql
;;
;; Visits FILE in sql-mode and connects eglot (eglot-ensure waits for a command loop that --batch never
;; runs, so the driver calls eglot--connect with eglot--guess-contact, both eglot 1.9 internals).  It
;; records the first publishDiagnostics for FILE and what flymake shows.  With PGMG_ACTION_RULE it puts
;; point on that rule's flymake diagnostic, runs the interactive `eglot-code-actions' on the line with
;; the menu answered by title (as a user picks it), saves the buffer and waits for the diagnostics
;; published for the edited version.  Everything observed goes to the JSON report; the mocha test asserts.
;; Exit: 0 report complete, 2 a wait timed out, 3 Lisp error, 4 watchdog.  The report is always written.

(require 'package)
;; -Q skips site-start, which is where Debian puts its elpa-* packages (eglot 1.9 among them).
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'cl-lib)
(require 'json)
(require 'eglot)
(require 'sql)

(defvar pgmg-report (list (cons 'editor "emacs")))
(defvar pgmg-t0 (float-time))
(defvar pgmg-publishes nil "Publishes for the visited file, oldest first: alists with ms, version, diagnostics.")
(defvar pgmg-logs nil)
(defvar pgmg-warnings nil "eglot's warnings (unsupported capabilities and the like).")
(defvar pgmg-file nil)
(defvar pgmg-finished nil)

(defun pgmg-ms () (round (* 1000 (- (float-time) pgmg-t0))))
(defun pgmg-put (key value) (setf (alist-get key pgmg-report) value))

(defun pgmg-finish (code)
  (unless pgmg-finished
    (setq pgmg-finished t)
    (pgmg-put 'totalMs (pgmg-ms))
    (pgmg-put 'publishes (vconcat pgmg-publishes))
    (pgmg-put 'logs (vconcat (reverse pgmg-logs)))
    (pgmg-put 'warnings (vconcat (reverse pgmg-warnings)))
    (let ((coding-system-for-write 'utf-8))
      (with-temp-file (or (getenv "PGMG_REPORT") "pgmg-report.json")
        (insert (json-encode pgmg-report))))
    (kill-emacs code)))

(defun pgmg-fail (code fmt &rest args)
  (pgmg-put 'error (apply #'format fmt args))
  (pgmg-finish code))

(defun pgmg-wait (secs pred what)
  "Run the event loop until PRED holds; fail with exit 2 after SECS."
  (let ((deadline (+ (float-time) secs)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (or (funcall pred) (pgmg-fail 2 "timed out after %s s waiting for %s" secs what))))

(defun pgmg-lsp-diagnostic (d)
  "The fields of the LSP diagnostic plist D the tests read."
  (let ((start (plist-get (plist-get d :range) :start)))
    `((line . ,(plist-get start :line)) (character . ,(plist-get start :character))
      (code . ,(plist-get d :code)) (severity . ,(plist-get d :severity))
      (source . ,(plist-get d :source)) (message . ,(plist-get d :message))
      (hasData . ,(if (plist-member d :data) t :json-false)))))

(defun pgmg-flymake-view ()
  "Flymake's diagnostics in the current buffer: what the user sees."
  (vconcat
   (mapcar (lambda (d)
             (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
               `((line . ,(1- (line-number-at-pos (flymake-diagnostic-beg d))))
                 (type . ,(symbol-name (flymake-diagnostic-type d)))
                 (code . ,(plist-get lsp :code))
                 (text . ,(flymake-diagnostic-text d)))))
           (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b)))))))

(defun pgmg-flymake-has-code-p (code)
  (cl-some (lambda (d) (equal (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code) code))
           (flymake-diagnostics)))

;; Observe what the server sends, before eglot's own handlers run.
(cl-defmethod eglot-handle-notification :before
  (_server (_method (eql textDocument/publishDiagnostics)) &key uri version diagnostics &allow-other-keys)
  (when (and pgmg-file (equal (file-truename (eglot--uri-to-path uri)) pgmg-file))
    (setq pgmg-publishes
          (append pgmg-publishes
                  (list `((ms . ,(pgmg-ms)) (version . ,version)
                          (diagnostics . ,(vconcat (mapcar #'pgmg-lsp-diagnostic diagnostics)))))))))

(cl-defmethod eglot-handle-notification :before
  (_server (_method (eql window/logMessage)) &key type message &allow-other-keys)
  (push `((type . ,type) (message . ,message)) pgmg-logs))

;; eglot--warn is how eglot tells the user the server did something it does not support.
(advice-add 'eglot--warn :before
            (lambda (fmt &rest args) (push (apply #'format-message fmt args) pgmg-warnings)))

(defun pgmg-run (file)
  (pgmg-put 'version emacs-version)
  (pgmg-put 'eglot (package-version-join (package-desc-version (cadr (assq 'eglot package-alist)))))
  (setq pgmg-file (file-truename file))
  (pgmg-put 'file pgmg-file)
  (setq eglot-sync-connect 10
        eglot-autoshutdown nil
        eglot-events-buffer-size 0)
  (let ((cmd (append (json-read-from-string (getenv "PGMG_LSP_CMD")) nil)))
    (add-to-list 'eglot-server-programs `(sql-mode . ,cmd)))
  (find-file file)
  (unless (derived-mode-p 'sql-mode) (sql-mode))
  (setq pgmg-t0 (float-time))
  (apply #'eglot--connect (eglot--guess-contact))
  (pgmg-wait 10 #'eglot-current-server "eglot to connect")
  (pgmg-wait 10 (lambda () pgmg-publishes) "the first publishDiagnostics")
  (let ((first (car pgmg-publishes)))
    (pgmg-put 'msToFirstDiagnostics (alist-get 'ms first))
    (pgmg-put 'first first)
    ;; Flymake gets the report when its backend runs; wait until it shows as many as were published.
    (pgmg-wait 5 (lambda () (= (length (flymake-diagnostics)) (length (alist-get 'diagnostics first))))
               "flymake to show the published diagnostics")
    (pgmg-put 'editorDiagnostics (pgmg-flymake-view)))
  (let ((rule (getenv "PGMG_ACTION_RULE"))
        (title (getenv "PGMG_ACTION_TITLE")))
    (when (and rule (not (string-empty-p rule)))
      (let ((target (cl-find-if (lambda (d) (equal (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code) rule))
                                (flymake-diagnostics)))
            (offered nil))
        (unless target (pgmg-fail 3 "flymake shows no diagnostic with code %s" rule))
        (goto-char (flymake-diagnostic-beg target))
        ;; The interactive command with its menu answered by title.  A keyboard event as the last one
        ;; makes eglot read the choice with completing-read (a mouse event, or none, pops up a menu).
        (let ((last-nonmenu-event ?\r))
          (cl-letf (((symbol-function 'completing-read)
                     (lambda (_prompt collection &rest _)
                       (setq offered (mapcar #'car collection))
                       (if (member title offered) title
                         (pgmg-put 'offered (vconcat offered))
                         (pgmg-fail 3 "no code action titled %S" title))))
                    ((symbol-function 'y-or-n-p)
                     (lambda (prompt) (pgmg-fail 3 "unexpected prompt: %s" prompt))))
            (eglot-code-actions (line-beginning-position) (line-end-position) nil t)))
        (pgmg-put 'offered (vconcat offered))
        (pgmg-put 'applied title))
      (save-buffer)
      (pgmg-put 'modifiedAfterWrite (if (buffer-modified-p) t :json-false))
      (let ((version eglot--versioned-identifier))
        (pgmg-put 'editedVersion version)
        (pgmg-wait 10 (lambda () (equal (alist-get 'version (car (last pgmg-publishes))) version))
                   (format "publishDiagnostics for version %s" version))
        (pgmg-put 'after (car (last pgmg-publishes))))
      (pgmg-wait 5 (lambda () (not (pgmg-flymake-has-code-p rule))) (format "flymake to drop %s" rule))
      (pgmg-put 'editorDiagnosticsAfter (pgmg-flymake-view))))
  (pgmg-put 'bufferText (buffer-substring-no-properties (point-min) (point-max)))
  (let* ((server (eglot-current-server))
         (proc (jsonrpc--process server)))
    (eglot-shutdown server nil 5)
    (pgmg-wait 5 (lambda () (not (process-live-p proc))) "the server to exit")
    (pgmg-put 'serverExit `((status . ,(symbol-name (process-status proc))) (code . ,(process-exit-status proc)))))
  (pgmg-finish 0))

(run-at-time 25 nil (lambda () (pgmg-fail 4 "watchdog: driver still running after 25 s")))
(let ((file (car command-line-args-left)))
  (setq command-line-args-left nil)
  (condition-case err
      (if file (pgmg-run file) (pgmg-fail 3 "usage: emacs --batch -Q -l driver.el FILE"))
    (error (pgmg-fail 3 "%s" (error-message-string err)))))
